import { createRequire } from 'node:module';
import type { Consumer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { subscribeWhenKnown } from '../../../harness/clients/subscribe.js';

// kafkajs's own protocol errors, as its metadata request throws them.
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error;
};
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const TOPIC_AUTHORIZATION_FAILED = 29;

/** Only subscribe() is called; it fails `failures` times with `error`, then succeeds. */
function subscribing(failures: number, error: () => Error) {
  let calls = 0;
  const consumer = {
    subscribe: async () => {
      if (++calls <= failures) throw error();
    },
  } as unknown as Consumer;
  return { consumer, calls: () => calls };
}

describe('subscribeWhenKnown (a topic just created is not yet known to every broker)', () => {
  it('asks again while the broker says the topic does not exist', async () => {
    const { consumer, calls } = subscribing(3, () => createErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION));
    await subscribeWhenKnown(consumer, { topics: ['t'] });
    expect(calls()).toBe(4);
  });

  it('fails as before when the topic stays unknown past its patience, or on any other error at once', async () => {
    const unknown = subscribing(Number.POSITIVE_INFINITY, () => createErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION));
    await expect(subscribeWhenKnown(unknown.consumer, { topics: ['t'] }, 250)).rejects.toThrow(
      'does not host this topic-partition',
    );
    expect(unknown.calls()).toBeGreaterThan(1);
    const denied = subscribing(1, () => createErrorFromCode(TOPIC_AUTHORIZATION_FAILED));
    await expect(subscribeWhenKnown(denied.consumer, { topics: ['t'] })).rejects.toThrow('Not authorized');
    expect(denied.calls()).toBe(1);
  });
});

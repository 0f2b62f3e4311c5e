import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTask } from '../../../../fixtures/builders/index.js';
import type { StartedNativeBroker } from '../../../../harness/brokers/index.js';
import type { ClientKind } from '../../../../harness/clients/client-api.js';
import { createClient } from '../../../../harness/clients/create-client.js';
import { TaskConsumer, TaskProducer } from '../../../../harness/clients/index.js';
import { topicNames } from '../../../../harness/config/index.js';
import type { ClientSecurity } from '../../../../harness/config/security.js';
import type { TaskMessage } from '../../../../harness/protocol/index.js';
import { waitFor } from '../../../../harness/wait.js';
import { nativeUnavailable, startNativeTestBroker, uniqueTopic } from '../../../support/broker.js';
import { committedOffset, createTopics, testConfig } from '../support.js';
import { adaptersOnThisNode } from './adapters.js';

// The client-conformance suite's security case: each adapter this Node has, through the spec's producer and
// consumer, on one native broker whose client listener speaks SASL_SSL (SCRAM-SHA-512 over TLS with the broker's
// own CA): SASL and TLS in one broker start. A wrong password is refused, not retried forever.

const native = await nativeUnavailable();
const adapters = native ? [] : adaptersOnThisNode('client conformance (security)');

let broker: StartedNativeBroker;

/** The messages of an error, its causes and the errors it aggregates. */
function messagesOf(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 6) return [];
  const { message, cause, errors } = error as { message?: unknown; cause?: unknown; errors?: unknown };
  return [
    String(message),
    ...messagesOf(cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((e) => messagesOf(e, depth + 1)) : []),
  ];
}

beforeAll(async () => {
  if (adapters.length === 0) return;
  broker = await startNativeTestBroker({ security: { mode: 'sasl-ssl' } });
}, 120_000);

afterAll(() => broker?.stop());

describe.skipIf(adapters.length === 0).each(adapters.length ? adapters : (['kafkajs'] as ClientKind[]))(
  'client conformance over SASL_SSL with --client %s',
  (kind) => {
    const client = (security: ClientSecurity) =>
      createClient({
        kind,
        clientId: uniqueTopic(`secure-${kind}`),
        brokers: broker.bootstrapServers,
        security,
        retry: { retries: 0 },
      });

    it('produces and consumes a task, and commits it, over SCRAM-SHA-512 and TLS', async () => {
      expect(broker.security.mode).toBe('sasl-ssl');
      const config = testConfig(uniqueTopic(`conf-secure-${kind}`));
      await createTopics(await broker.admin(), config, ['tasks']);
      const kafka = createClient({
        kind,
        clientId: uniqueTopic(`secure-${kind}`),
        brokers: broker.bootstrapServers,
        security: broker.security,
      });
      const seen: TaskMessage[] = [];
      await using consumer = await TaskConsumer.start({ kafka, config, handler: (m) => void seen.push(m) });
      await using producer = await TaskProducer.connect({ kafka, config });
      const task = buildTask({}, { seed: 4711 });
      const sent = await producer.send(task);
      await waitFor(() => (seen.length === 1 ? true : undefined), {
        timeoutMs: 30_000,
        description: 'the task consumed over SASL_SSL',
      });
      expect(seen[0]).toEqual(task);
      await waitFor(
        async () =>
          (await committedOffset(await broker.admin(), consumer.groupId, topicNames(config).tasks, sent.partition)) ===
          Number(sent.offset) + 1
            ? true
            : undefined,
        {
          timeoutMs: 30_000,
          description: 'the task committed',
        },
      );
    });

    it('is refused with a wrong password', async () => {
      const security = broker.security;
      if (security.mode !== 'sasl-ssl') throw new Error('unreachable');
      const producer = client({ ...security, sasl: { ...security.sasl, password: 'Wrong-Password-0000' } }).producer();
      const error = await producer.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      // kafkajs says so at the top; @platformatic/kafka under "Cannot connect to any broker" (its errors and causes).
      expect(messagesOf(error)).toContainEqual(expect.stringMatching(/SASL .*authentication failed/));
      await producer.disconnect().catch(() => undefined);
    });
  },
);

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { applyKafkajsFixes, StoppedConsumerFetch } from '../../../harness/clients/kafkajs-fixes.js';

// kafkajs's own Runner class, as its consumers use it (the same module instance the patch changes).
const Runner = createRequire(import.meta.url)('kafkajs/src/consumer/runner.js') as { prototype: { fetch(nodeId: number): Promise<unknown[]> } };
const runner = (running: boolean) => Object.assign(Object.create(Runner.prototype) as { fetch(nodeId: number): Promise<unknown[]> }, { running, logger: { debug() {} }, consumerGroup: {} });

describe('the kafkajs consumer fix (a fetcher started after stop() spun forever)', () => {
  it('unpatched, a stopped runner answers a fetch with [] at once: what a late fetcher loops on without yielding', async () => {
    await expect(runner(false).fetch(1)).resolves.toEqual([]);
  });

  it('patched, a stopped runner ends the fetcher with an error naming the node; a running one fetches as before', async () => {
    applyKafkajsFixes();
    applyKafkajsFixes(); // idempotent: not wrapped twice
    await expect(runner(false).fetch(3)).rejects.toBeInstanceOf(StoppedConsumerFetch);
    await expect(runner(false).fetch(3)).rejects.toThrow('no fetch from node 3');
    // Running: kafkajs's own fetch goes on (and fails here on the stub consumer group, not on the fix).
    await expect(runner(true).fetch(3)).rejects.not.toBeInstanceOf(StoppedConsumerFetch);
  });
});

import { createRequire } from 'node:module';

// A kafkajs 2.2.4 bug the chaos scenarios hit (tulios/kafkajs#1384, #1428, unfixed upstream): when a consumer
// is stopped while its fetch manager rebuilds its fetchers (a broker left the metadata, e.g. killed), the new
// fetchers start after the stop. Each asks the stopped runner to fetch, gets [] back at once and asks again: a
// loop without a single await on I/O, so no timer of the process ever fires again. Here a stopped runner's fetch
// throws instead: the fetcher ends, and the runner, seeing it is stopped, exits as it does on a normal stop.
// Patched on kafkajs's own Runner class (same module instance: kafkajs has no exports map).

const require = createRequire(import.meta.url);

interface RunnerLike {
  running: boolean;
  fetch(nodeId: number): Promise<unknown[]>;
}

export class StoppedConsumerFetch extends Error {
  constructor(nodeId: number) {
    super(`consumer stopped: no fetch from node ${nodeId} (a fetcher started after the stop ends here)`);
    this.name = 'StoppedConsumerFetch';
  }
}

let applied = false;

/** Patch kafkajs's consumer runner once per process (idempotent). */
export function applyKafkajsFixes(): void {
  if (applied) return;
  applied = true;
  const Runner = require('kafkajs/src/consumer/runner.js') as { prototype: RunnerLike };
  const fetch = Runner.prototype.fetch;
  Runner.prototype.fetch = async function fetchWhileRunning(this: RunnerLike, nodeId: number): Promise<unknown[]> {
    if (!this.running) throw new StoppedConsumerFetch(nodeId);
    return fetch.call(this, nodeId);
  };
}

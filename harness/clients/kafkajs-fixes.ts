import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { causeChain } from '../errors.js';
import { installKafkajsFastPaths } from './kafkajs-fast-paths.js';

// A kafkajs 2.2.4 bug the chaos scenarios hit (tulios/kafkajs#1384, #1428, unfixed upstream): when a consumer
// is stopped while its fetch manager rebuilds its fetchers (a broker left the metadata, e.g. killed), the new
// fetchers start after the stop. Each asks the stopped runner to fetch, gets [] back at once and asks again: a
// loop without a single await on I/O, so no timer of the process ever fires again. Here a stopped runner's fetch
// throws instead: the fetcher ends, and the runner, seeing it is stopped, exits as it does on a normal stop.
// Patched on kafkajs's own Runner class (same module instance: kafkajs has no exports map).
//
// A second one, seen as a 30 s stall when several consumers of one group start together (the executors of the
// throughput bench): the first member's SyncGroup is answered REBALANCE_IN_PROGRESS because the others joined
// meanwhile. kafkajs retries the join + sync with the consumer's own retry policy, and a consumer whose retries
// are used up (or set to 0, as the fake executors' were) crashes instead and restarts as a *new* member, while the old member id stays in the group until its session times out: every
// member waits for it. Here a join that fails because the group is rebalancing joins again at once with the
// same member id, as the Java consumer does, whatever the retry policy.

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

/** Join attempts when the group keeps rebalancing under the joiner (each one a JoinGroup + SyncGroup). */
export const JOIN_ATTEMPTS = 10;
const REJOIN_PAUSE_MS = 50;

interface ConsumerGroupLike {
  joinAndSync(): Promise<void>;
}

const REBALANCING_TYPES = ['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION']; // kafkajs errors.js isRebalancing
/** Their messages: kafkajs rewraps a failed join in errors that keep the message but drop the protocol type. */
const REBALANCING_MESSAGES = new Set(
  (require('kafkajs/src/protocol/error.js') as { errorCodes: { type: string; message: string }[] }).errorCodes
    .filter((e) => REBALANCING_TYPES.includes(e.type))
    .map((e) => e.message),
);

/** What kafkajs calls rebalancing, anywhere in the error's cause chain. */
export function isRebalancingFailure(error: unknown): boolean {
  return [...causeChain(error)].some((e) => REBALANCING_TYPES.includes(String(e.type)) || REBALANCING_MESSAGES.has(String(e.message)));
}

let applied = false;

/** Patch kafkajs's consumer runner and group join, and put in the faster encoders (kafkajs-fast-paths.ts), once per process (idempotent). */
export function applyKafkajsFixes(): void {
  if (applied) return;
  applied = true;
  installKafkajsFastPaths();
  const Runner = require('kafkajs/src/consumer/runner.js') as { prototype: RunnerLike };
  const fetch = Runner.prototype.fetch;
  Runner.prototype.fetch = async function fetchWhileRunning(this: RunnerLike, nodeId: number): Promise<unknown[]> {
    if (!this.running) throw new StoppedConsumerFetch(nodeId);
    return fetch.call(this, nodeId);
  };
  const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as { prototype: ConsumerGroupLike };
  const joinAndSync = ConsumerGroup.prototype.joinAndSync;
  ConsumerGroup.prototype.joinAndSync = async function joinUntilSynced(this: ConsumerGroupLike): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await joinAndSync.call(this);
      } catch (error) {
        if (attempt >= JOIN_ATTEMPTS || !isRebalancingFailure(error)) throw error;
        await sleep(REJOIN_PAUSE_MS);
      }
    }
  };
}

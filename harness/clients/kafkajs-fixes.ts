import { setTimeout as sleep } from 'node:timers/promises';
import { causeChain } from '../errors.js';

// A kafkajs 2.2.4 bug the chaos scenarios hit (tulios/kafkajs#1384, #1428, unfixed upstream): when a consumer
// is stopped while its fetch manager rebuilds its fetchers (a broker left the metadata, e.g. killed), the new
// fetchers start after the stop. Each asks the stopped runner to fetch, gets [] back at once and asks again: a
// loop without a single await on I/O, so no timer of the process ever fires again. Here a stopped runner's fetch
// throws instead: the fetcher ends, and the runner, seeing it is stopped, exits as it does on a normal stop.
//
// A second one, a stall until a session times out when several consumers of one group start together (the
// executors of a load run): the first member's SyncGroup is answered REBALANCE_IN_PROGRESS because the others joined
// meanwhile. kafkajs retries the join + sync with the consumer's own retry policy, and a consumer whose retries
// are used up (or set to 0, as the fake executors' were) crashes instead and restarts as a *new* member, while the old member id stays in the group until its session times out: every
// member waits for it. Here a join that fails because the group is rebalancing joins again at once with the
// same member id, as the Java consumer does, whatever the retry policy.

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

interface RequestQueueLike {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

interface SocketLike {
  destroyed: boolean;
  unref(): void;
}

interface ConnectionLike {
  socket: SocketLike | null | undefined;
  disconnect(): Promise<boolean>;
}

/** kafkajs requestQueue's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_MS = 10;

/**
 * kafkajs's RequestQueue.scheduleCheckPendingRequests, with the delay held at 0 or more. kafkajs asks for
 * `throttledUntil - now`, negative once a throttle has passed (or when there never was one: 0), which Node runs
 * as 1 ms and, from Node 24 on, also warns about (TimeoutNegativeWarning) in every process with a consumer.
 */
function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId) return;
  let scheduleAt = this.throttledUntil - Date.now();
  if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_MS;
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    Math.max(0, scheduleAt),
  );
}

/**
 * kafkajs's Connection.disconnect ends and unrefs its socket even when the connect was refused or the socket has
 * closed. Node's `unref()` on a socket without a handle queues a `once('connect')` listener that can never fire, one
 * per call: a client retrying against a stopped broker disconnects the same connection again and again, and the
 * 11th call prints MaxListenersExceededWarning. A destroyed socket's `unref()` is made a no-op (nothing is left to
 * unref); kafkajs's disconnect itself runs as shipped.
 */
function disconnectWithoutListenerLeak(disconnect: () => Promise<boolean>) {
  return function disconnectDestroyedQuietly(this: ConnectionLike): Promise<boolean> {
    const socket = this.socket;
    if (socket?.destroyed) socket.unref = noUnref;
    return disconnect.call(this);
  };
}
function noUnref(this: SocketLike): void {}

/** The kafkajs classes the fixes change (the harness's own copy's: clients/kafkajs.ts). */
export interface FixableKafkajs {
  readonly Runner: { prototype: object };
  readonly ConsumerGroup: { prototype: object };
  readonly RequestQueue: { prototype: object };
  readonly Connection: { prototype: object };
  readonly errorCodes: readonly { type: string; message: string }[];
}

const REBALANCING_TYPES = ['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION']; // kafkajs errors.js isRebalancing
/** Their messages: kafkajs rewraps a failed join in errors that keep the message but drop the protocol type. */
let rebalancingMessages = new Set<string>();

/** What kafkajs calls rebalancing, anywhere in the error's cause chain. */
export function isRebalancingFailure(error: unknown): boolean {
  return [...causeChain(error)].some(
    (e) => REBALANCING_TYPES.includes(String(e.type)) || rebalancingMessages.has(String(e.message)),
  );
}

const fixed = new WeakSet<object>();

/** Patch a kafkajs copy's consumer runner, group join, request queue timer and disconnect (idempotent per copy). */
export function applyKafkajsFixes(k: FixableKafkajs): void {
  if (fixed.has(k.Runner)) return;
  fixed.add(k.Runner);
  rebalancingMessages = new Set(k.errorCodes.filter((e) => REBALANCING_TYPES.includes(e.type)).map((e) => e.message));
  const runner = k.Runner.prototype as RunnerLike;
  const fetch = runner.fetch;
  runner.fetch = async function fetchWhileRunning(this: RunnerLike, nodeId: number): Promise<unknown[]> {
    if (!this.running) throw new StoppedConsumerFetch(nodeId);
    return fetch.call(this, nodeId);
  };
  const group = k.ConsumerGroup.prototype as ConsumerGroupLike;
  const joinAndSync = group.joinAndSync;
  group.joinAndSync = async function joinUntilSynced(this: ConsumerGroupLike): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await joinAndSync.call(this);
      } catch (error) {
        if (attempt >= JOIN_ATTEMPTS || !isRebalancingFailure(error)) throw error;
        await sleep(REJOIN_PAUSE_MS);
      }
    }
  };
  const queue = k.RequestQueue.prototype as RequestQueueLike;
  queue.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  const connection = k.Connection.prototype as ConnectionLike;
  connection.disconnect = disconnectWithoutListenerLeak(connection.disconnect);
}

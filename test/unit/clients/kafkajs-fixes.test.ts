import { once } from 'node:events';
import { createRequire } from 'node:module';
import net, { type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kafkajsInternals } from '../../../harness/clients/kafkajs.js';
import {
  applyKafkajsFixes,
  isRebalancingFailure,
  JOIN_ATTEMPTS,
  StoppedConsumerFetch,
} from '../../../harness/clients/kafkajs-fixes.js';

// The fixes go into the harness's own kafkajs copy (clients/kafkajs.ts applies them when it loads); the kafkajs
// package in node_modules, which a user's code would load, stays as shipped: it is the "unpatched" one here.
const require = createRequire(import.meta.url);
type RunnerClass = { prototype: { fetch(nodeId: number): Promise<unknown[]> } };
type QueueClass = { prototype: { scheduleCheckPendingRequests(): void } };
const stock = {
  Runner: require('kafkajs/src/consumer/runner.js') as RunnerClass,
  ConsumerGroup: require('kafkajs/src/consumer/consumerGroup.js') as { prototype: object },
  RequestQueue: require('kafkajs/src/network/requestQueue/index.js') as QueueClass,
};
const copy = kafkajsInternals as unknown as typeof stock;
const createRetry = require('kafkajs/src/retry/index.js') as (options: { retries: number }) => unknown;
const { KafkaJSProtocolError } = require('kafkajs/src/errors.js') as { KafkaJSProtocolError: new (e: object) => Error };
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error;
};
const REBALANCE_IN_PROGRESS = 27;
const UNKNOWN_TOPIC = 3;

/**
 * kafkajs's own ConsumerGroup with its JoinGroup/SyncGroup round trips replaced: `syncFailures` SyncGroups are
 * answered REBALANCE_IN_PROGRESS (another member joined meanwhile), then the group is synced. No retries, as the
 * fake executors configure their consumers.
 */
function joiningGroup(
  syncFailures: number,
  failure = () => createErrorFromCode(REBALANCE_IN_PROGRESS),
  ConsumerGroup = copy.ConsumerGroup,
) {
  const symbols = Object.getOwnPropertySymbols(ConsumerGroup.prototype);
  const join = symbols.find((s) => s.description === 'private:ConsumerGroup:join')!;
  const sync = symbols.find((s) => s.description === 'private:ConsumerGroup:sync')!;
  const joinedAs: (string | null)[] = [];
  let syncs = 0;
  const group = Object.assign(
    Object.create(ConsumerGroup.prototype) as { joinAndSync(): Promise<void>; memberId: string | null },
    {
      retrier: createRetry({ retries: 0 }),
      memberId: null as string | null,
      groupId: 'g',
      logger: { info() {}, debug() {}, warn() {}, error() {} },
      instrumentationEmitter: { emit() {} },
      assigned: () => [],
      isLeader: () => false,
    },
  );
  Object.assign(group, {
    async [join]() {
      joinedAs.push(group.memberId);
      group.memberId ??= 'member-1'; // the broker hands out the id on the first join
    },
    async [sync]() {
      if (++syncs <= syncFailures) throw failure();
    },
  });
  return { group, joinedAs, syncs: () => syncs };
}

const runner = (running: boolean, Runner = copy.Runner) =>
  Object.assign(Object.create(Runner.prototype) as { fetch(nodeId: number): Promise<unknown[]> }, {
    running,
    logger: { debug() {} },
    consumerGroup: {},
  });

describe('kafkajs 2.2.4 unpatched (the package in node_modules, as a user loads it)', () => {
  it('unpatched, with no retries, one SyncGroup answered REBALANCE_IN_PROGRESS fails the whole join', async () => {
    const { group } = joiningGroup(1, undefined, stock.ConsumerGroup);
    await expect(group.joinAndSync()).rejects.toThrow('rebalancing');
  });

  it("is left as shipped by the harness: its classes are not the copy's and carry none of the fixes", () => {
    expect(copy.Runner).not.toBe(stock.Runner);
    expect(stock.Runner.prototype.fetch.name).toBe('fetch');
    expect((stock.ConsumerGroup.prototype as { joinAndSync: () => unknown }).joinAndSync.name).toBe('joinAndSync');
    expect(stock.RequestQueue.prototype.scheduleCheckPendingRequests.name).toBe('scheduleCheckPendingRequests');
    expect(copy.Runner.prototype.fetch.name).toBe('fetchWhileRunning');
  });
});

describe('the kafkajs consumer fix (a fetcher started after stop() spun forever)', () => {
  it('unpatched, a stopped runner answers a fetch with [] at once: what a late fetcher loops on without yielding', async () => {
    await expect(runner(false, stock.Runner).fetch(1)).resolves.toEqual([]);
  });

  it('patched, a stopped runner ends the fetcher with an error naming the node; a running one fetches as before', async () => {
    applyKafkajsFixes(kafkajsInternals);
    applyKafkajsFixes(kafkajsInternals); // idempotent: not wrapped twice
    await expect(runner(false).fetch(3)).rejects.toBeInstanceOf(StoppedConsumerFetch);
    await expect(runner(false).fetch(3)).rejects.toThrow('no fetch from node 3');
    // Running: kafkajs's own fetch goes on (and fails here on the stub consumer group, not on the fix).
    await expect(runner(true).fetch(3)).rejects.not.toBeInstanceOf(StoppedConsumerFetch);
  });
});

describe("the kafkajs join fix (a member answered REBALANCE_IN_PROGRESS crashed and came back as a ghost's twin)", () => {
  it('patched, the member joins again with the same member id until it is synced', async () => {
    const { group, joinedAs, syncs } = joiningGroup(3);
    await group.joinAndSync();
    expect(syncs()).toBe(4);
    expect(joinedAs).toEqual([null, 'member-1', 'member-1', 'member-1']);
  });

  it('patched, other failures and a group that never settles still fail', async () => {
    await expect(joiningGroup(1, () => createErrorFromCode(UNKNOWN_TOPIC)).group.joinAndSync()).rejects.toThrow(
      'does not host this topic-partition',
    );
    const endless = joiningGroup(Number.POSITIVE_INFINITY);
    await expect(endless.group.joinAndSync()).rejects.toThrow('rebalancing');
    expect(endless.syncs()).toBe(JOIN_ATTEMPTS);
  });

  it('reads rebalancing anywhere in the cause chain, as kafkajs wraps it', () => {
    const cause = new KafkaJSProtocolError({ type: 'REBALANCE_IN_PROGRESS', message: 'The group is rebalancing' });
    expect(isRebalancingFailure(Object.assign(new Error('retries exceeded'), { cause }))).toBe(true);
    expect(isRebalancingFailure(new Error('connection closed'))).toBe(false);
    expect(isRebalancingFailure(undefined)).toBe(false);
  });
});

describe('the kafkajs request queue timer (TimeoutNegativeWarning on Node 24 and later)', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The delay the queue's scheduleCheckPendingRequests asks setTimeout for, with no throttle and nothing pending. */
  function scheduledDelay(Queue: QueueClass): number {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const queue = Object.assign(
      Object.create(Queue.prototype) as {
        scheduleCheckPendingRequests(): void;
        throttleCheckTimeoutId: NodeJS.Timeout | null;
      },
      { throttledUntil: -1, pending: [], throttleCheckTimeoutId: null, checkPendingRequests() {} },
    );
    queue.scheduleCheckPendingRequests();
    clearTimeout(queue.throttleCheckTimeoutId!);
    return setTimeoutSpy.mock.calls.at(-1)![1]!;
  }

  it('unpatched, kafkajs asks for a negative delay (Node warns about it)', () => {
    expect(scheduledDelay(stock.RequestQueue)).toBeLessThan(0);
  });

  it('patched, the delay is never negative', () => {
    expect(scheduledDelay(copy.RequestQueue)).toBe(0);
  });
});

describe('kafkajs disconnect of a refused connection (MaxListenersExceededWarning: 11 connect listeners)', () => {
  type ConnectionClass = new (options: object) => {
    connect(): Promise<void>;
    disconnect(): Promise<boolean>;
    socket: Socket;
  };
  const logger = { namespace: () => ({ debug() {}, info() {}, warn() {}, error() {} }) };
  const socketFactory = (require('kafkajs/src/network/socketFactory.js') as () => unknown)();

  /** A loopback port nothing listens on: bound, then closed. */
  async function closedPort(): Promise<number> {
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  /** 'connect' listeners added to a refused connection's socket by each disconnect (the socket keeps the ones its connect left). */
  async function listenersAddedPerDisconnect(Connection: ConnectionClass, disconnects: number): Promise<number[]> {
    const connection = new Connection({
      host: '127.0.0.1',
      port: await closedPort(),
      logger,
      socketFactory,
      requestTimeout: 1_000,
      connectionTimeout: 1_000,
    });
    await expect(connection.connect()).rejects.toThrow(/ECONNREFUSED|Connection error/);
    const counts = [connection.socket.listenerCount('connect')];
    for (let i = 0; i < disconnects; i++) {
      await connection.disconnect();
      counts.push(connection.socket.listenerCount('connect'));
    }
    return counts.slice(1).map((count, i) => count - counts[i]!);
  }

  it('unpatched, every disconnect queues one more connect listener that never fires (the 11th warns)', async () => {
    const Connection = require('kafkajs/src/network/connection.js') as ConnectionClass;
    // Few enough to stay under Node's limit of 10 (this process fails on warnings).
    expect(await listenersAddedPerDisconnect(Connection, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('patched, a destroyed socket is left alone: no listener however often it disconnects', async () => {
    const Connection = (kafkajsInternals as unknown as { Connection: ConnectionClass }).Connection;
    expect(await listenersAddedPerDisconnect(Connection, 25)).toEqual(Array(25).fill(0));
  });
});

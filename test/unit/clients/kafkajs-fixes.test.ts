import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { applyKafkajsFixes, isRebalancingFailure, JOIN_ATTEMPTS, StoppedConsumerFetch } from '../../../harness/clients/kafkajs-fixes.js';

// kafkajs's own Runner class, as its consumers use it (the same module instance the patch changes).
const Runner = createRequire(import.meta.url)('kafkajs/src/consumer/runner.js') as { prototype: { fetch(nodeId: number): Promise<unknown[]> } };
const require = createRequire(import.meta.url);
const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as { prototype: object };
const createRetry = require('kafkajs/src/retry/index.js') as (options: { retries: number }) => unknown;
const { KafkaJSProtocolError } = require('kafkajs/src/errors.js') as { KafkaJSProtocolError: new (e: object) => Error };
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as { createErrorFromCode(code: number): Error };
const REBALANCE_IN_PROGRESS = 27;
const UNKNOWN_TOPIC = 3;

/**
 * kafkajs's own ConsumerGroup with its JoinGroup/SyncGroup round trips replaced: `syncFailures` SyncGroups are
 * answered REBALANCE_IN_PROGRESS (another member joined meanwhile), then the group is synced. No retries, as the
 * fake executors configure their consumers.
 */
function joiningGroup(syncFailures: number, failure = () => createErrorFromCode(REBALANCE_IN_PROGRESS)) {
  const symbols = Object.getOwnPropertySymbols(ConsumerGroup.prototype);
  const join = symbols.find((s) => s.description === 'private:ConsumerGroup:join')!;
  const sync = symbols.find((s) => s.description === 'private:ConsumerGroup:sync')!;
  const joinedAs: (string | null)[] = [];
  let syncs = 0;
  const group = Object.assign(Object.create(ConsumerGroup.prototype) as { joinAndSync(): Promise<void>; memberId: string | null }, {
    retrier: createRetry({ retries: 0 }),
    memberId: null as string | null,
    groupId: 'g',
    logger: { info() {}, debug() {}, warn() {}, error() {} },
    instrumentationEmitter: { emit() {} },
    assigned: () => [],
    isLeader: () => false,
  });
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

const runner = (running: boolean) => Object.assign(Object.create(Runner.prototype) as { fetch(nodeId: number): Promise<unknown[]> }, { running, logger: { debug() {} }, consumerGroup: {} });

// Unpatched behaviour first: the patch, once applied, holds for the rest of this file.
describe('kafkajs 2.2.4 unpatched', () => {
  it('unpatched, with no retries, one SyncGroup answered REBALANCE_IN_PROGRESS fails the whole join', async () => {
    const { group } = joiningGroup(1);
    await expect(group.joinAndSync()).rejects.toThrow('rebalancing');
  });

});

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

describe('the kafkajs join fix (a member answered REBALANCE_IN_PROGRESS crashed and came back as a ghost\'s twin)', () => {
  it('patched, the member joins again with the same member id until it is synced', async () => {
    applyKafkajsFixes();
    const { group, joinedAs, syncs } = joiningGroup(3);
    await group.joinAndSync();
    expect(syncs()).toBe(4);
    expect(joinedAs).toEqual([null, 'member-1', 'member-1', 'member-1']);
  });

  it('patched, other failures and a group that never settles still fail', async () => {
    applyKafkajsFixes();
    await expect(joiningGroup(1, () => createErrorFromCode(UNKNOWN_TOPIC)).group.joinAndSync()).rejects.toThrow('does not host this topic-partition');
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

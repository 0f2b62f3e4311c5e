import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedNativeBroker } from '../../../harness/brokers/index.js';
import { nativeUnavailable, startNativeTestBroker, uniqueTopic } from '../../support/broker.js';

const skip = await nativeUnavailable();

describe.skipIf(skip !== undefined)('a three-node KRaft cluster (native)', () => {
  let cluster: StartedNativeBroker;
  beforeAll(async () => {
    cluster = await startNativeTestBroker({ brokers: 3 });
  });
  afterAll(() => cluster?.stop());

  it('runs three JVMs sharing the voters, all on loopback', async () => {
    expect(cluster.nodes.map((n) => n.nodeId)).toEqual([1, 2, 3]);
    expect(new Set(cluster.nodes.map((n) => n.pid)).size).toBe(3);
    const described = await (await cluster.admin()).describeCluster();
    expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(described.brokers.every((b) => b.host === '127.0.0.1')).toBe(true);
  });

  it('places replication factor 2 on two brokers, and fails over when the leader is killed', async () => {
    const admin = await cluster.admin();
    const topic = uniqueTopic('rf2');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 2 }], waitForLeaders: true });
    const before = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions[0]!;
    expect(before.replicas).toHaveLength(2);
    expect(before.isr).toHaveLength(2);

    const producer = cluster.kafka('failover-test').producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'before failover' }] });
    await producer.disconnect();

    await cluster.killNode(before.leader);
    // Wait on the condition: a new leader among the surviving replicas.
    let after = before;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        after = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions[0]!;
        if (after.leader !== before.leader && after.leader >= 0) break;
      } catch {
        // metadata from the killed node: retry
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(after.leader).not.toBe(before.leader);
    expect(before.replicas).toContain(after.leader);

    // The record written before the crash is readable from the new leader.
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets[0]!.high).toBe('1');
  });
});

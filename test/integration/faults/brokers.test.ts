import { readFileSync } from 'node:fs';
import type { Admin } from 'kafkajs';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedNativeBroker } from '../../../harness/brokers/index.js';
import { BrokerFaults } from '../../../harness/faults/index.js';
import { waitFor } from '../../../harness/wait.js';
import { nativeUnavailable, startNativeTestBroker, uniqueTopic } from '../../support/broker.js';

// Broker faults on a real 3-node KRaft cluster (native JVMs): pause fences a node and resume brings
// it back; killing the leader of a key's partition fails the partition over to another replica and
// acks=all writes for that key go on (replication factor 3, min.insync.replicas 2).

const unavailable = await nativeUnavailable();

/** The process state letter from /proc (T: stopped by a signal). */
const processState = (pid: number): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
  } catch {
    return undefined;
  }
};

describe.skipIf(unavailable !== undefined)('broker faults on a 3-node native cluster', () => {
  let cluster: StartedNativeBroker;
  let faults: BrokerFaults;
  /** Short timeouts: a probe that reaches the paused node fails fast and is retried instead of hanging 30 s. */
  let probe: Admin;
  const topic = uniqueTopic('failover');

  beforeAll(async () => {
    cluster = await startNativeTestBroker({ brokers: 3 });
    faults = new BrokerFaults(cluster);
    probe = new Kafka({
      clientId: 'fault-probe',
      brokers: [...cluster.bootstrapServers],
      requestTimeout: 2_000,
      connectionTimeout: 1_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    await probe.connect();
    const admin = await cluster.admin();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
      ],
      waitForLeaders: true,
    });
  });

  afterAll(async () => {
    await probe?.disconnect();
    await faults?.stop();
    await cluster?.stop();
  });

  const liveBrokers = async () => (await probe.describeCluster()).brokers.map((b) => b.nodeId).sort();

  it('pause stops a node (SIGSTOP) until it is fenced, and resume brings it back', async () => {
    const nodeId = 3;
    const pid = cluster.nodes.find((n) => n.nodeId === nodeId)!.pid;
    const fault = await faults.pause(nodeId);
    try {
      expect(processState(pid)).toBe('T');
      const pausedAt = Date.now();
      await waitFor(async () => ((await liveBrokers()).includes(nodeId) ? undefined : true), {
        timeoutMs: 20_000,
        description: `broker ${nodeId} to be fenced while paused`,
      });
      console.log(`paused broker ${nodeId} was fenced after ${Date.now() - pausedAt} ms`);
    } finally {
      await fault.remove();
    }
    expect(processState(pid)).not.toBe('T');
    await waitFor(async () => ((await liveBrokers()).includes(nodeId) ? true : undefined), {
      timeoutMs: 30_000,
      description: `broker ${nodeId} to rejoin after resume`,
    });
  });

  it("kill -9 of a key's partition leader fails the partition over and acks=all writes for the key go on", async () => {
    const key = 'run-failover-1';
    const producer = cluster.kafka('failover-producer').producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ key, value: 'before' }] });
      const killed = await faults.killLeaderOf(topic, key);
      const pid = cluster.nodes.find((n) => n.nodeId === killed.leader)!.pid;
      expect(processState(pid)).toBeUndefined(); // the JVM is gone
      const killedAt = Date.now();
      const after = await waitFor(
        async () => {
          const now = await faults.leaderOf(topic, key);
          return now.leader >= 0 && now.leader !== killed.leader ? now : undefined;
        },
        { timeoutMs: 30_000, description: `a new leader for ${topic}-${killed.partition}` },
      );
      expect(after.partition).toBe(killed.partition);
      await producer.send({ topic, acks: -1, messages: [{ key, value: 'after' }] });
      console.log(
        `leader ${killed.leader} of ${topic}-${killed.partition} killed; broker ${after.leader} leads after ${Date.now() - killedAt} ms and took an acks=all write`,
      );
    } finally {
      await producer.disconnect();
    }
  });

  it('restarts the killed node on its log directory: it rejoins and is back in sync for the partition', async () => {
    const { partition } = await faults.leaderOf(topic, 'run-failover-1');
    const killed = [1, 2, 3].find(
      (id) => !cluster.nodes.some((n) => n.nodeId === id && processState(n.pid) !== undefined),
    )!;
    expect(killed).toBeDefined();
    const restartedAt = Date.now();
    await faults.restart(killed);
    expect(processState(cluster.nodes.find((n) => n.nodeId === killed)!.pid)).toBeDefined(); // nodes[] holds the new pid
    await waitFor(
      async () => {
        const metadata = await probe.fetchTopicMetadata({ topics: [topic] });
        return metadata.topics[0]!.partitions.find((p) => p.partitionId === partition)!.isr.includes(killed)
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, description: `broker ${killed} back in the ISR of ${topic}-${partition}` },
    );
    console.log(`broker ${killed} restarted on its log dir and back in sync after ${Date.now() - restartedAt} ms`);
  });

  it('names unknown brokers', async () => {
    await expect(faults.pause(9)).rejects.toMatchObject({
      code: 'FAULT_TARGET_UNKNOWN',
      message: 'unknown broker 9; the brokers are 1, 2, 3',
    });
    await expect(faults.killLeaderOf(uniqueTopic('missing'), 'k')).rejects.toMatchObject({
      code: 'FAULT_TARGET_UNKNOWN',
    });
  });
});

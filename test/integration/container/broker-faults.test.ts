import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Admin } from 'kafkajs';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerBrokerProvider, type StartedContainerBroker } from '../../../harness/brokers/index.js';
import {
  type AdvertisedProxies,
  advertisedProxies,
  BrokerFaults,
  type StartedToxiproxy,
  startToxiproxy,
} from '../../../harness/faults/index.js';
import { waitFor } from '../../../harness/wait.js';
import { readTopic } from '../../../harness/topics/read-topic.js';
import { uniqueTopic } from '../../support/broker.js';
import { containerUnavailable } from './support.js';

// Broker faults on a real 3-node KRaft cluster in containers, through the Docker API: pause (docker pause)
// fences a node and records still flow; kill -9 of a key's leader fails the partition over; restart brings
// the same container back on its own filesystem (no second format), with the same node id and host port,
// back in sync, and every record written before and during the faults is still there. The cluster advertises the
// fault proxy too (a PROXIED listener published from each container), as `run --tag chaos --kafka container` starts it.

const skip = await containerUnavailable();

/** docker inspect of one container: state and the host port its client listener is published on. */
function inspect(id: string): { paused: boolean; running: boolean; exitCode: number; hostPorts: string[] } {
  const [info] = JSON.parse(execFileSync('docker', ['inspect', id], { encoding: 'utf8' })) as {
    State: { Paused: boolean; Running: boolean; ExitCode: number };
    NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
  }[];
  const hostPorts = Object.values(info!.NetworkSettings.Ports ?? {}).flatMap((b) =>
    (b ?? []).map((p) => `${p.HostIp}:${p.HostPort}`),
  );
  return { paused: info!.State.Paused, running: info!.State.Running, exitCode: info!.State.ExitCode, hostPorts };
}

describe.skipIf(skip)('broker faults on a 3-node container cluster', () => {
  let toxiproxy: StartedToxiproxy;
  let proxies: AdvertisedProxies;
  let broker: StartedContainerBroker;
  let faults: BrokerFaults;
  /** Short timeouts: a probe that reaches a frozen node fails fast and is retried instead of hanging 30 s. */
  let probe: Admin;
  const topic = uniqueTopic('container-faults');
  const key = 'run-container-failover-1';
  const sent: string[] = [];
  let portsAtStart: string[][];

  const liveBrokers = async () => (await probe.describeCluster()).brokers.map((b) => b.nodeId).sort();
  const isrs = async () =>
    ((await probe.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined))?.topics[0]?.partitions ?? []).map(
      (p) => p.isr,
    );
  const send = async (label: string, count: number) => {
    const producer = broker.kafka(`container-faults-${label}`).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const values = Array.from({ length: count }, (_, i) => `${label}-${i}`);
      await producer.send({
        topic,
        acks: -1,
        messages: values.map((value, i) => ({ key: i === 0 ? key : `${label}-${i}`, value })),
      });
      sent.push(...values);
    } finally {
      await producer.disconnect();
    }
  };

  beforeAll(async () => {
    toxiproxy = await startToxiproxy();
    proxies = advertisedProxies(toxiproxy);
    broker = await new ContainerBrokerProvider().start({ brokers: 3, faultProxy: proxies.faultProxy });
    faults = new BrokerFaults(broker);
    portsAtStart = broker.containerIds.map((id) => inspect(id).hostPorts.sort());
    probe = new Kafka({
      clientId: 'container-fault-probe',
      brokers: [...broker.bootstrapServers],
      requestTimeout: 2_000,
      connectionTimeout: 1_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    await probe.connect();
    const admin = await broker.admin();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
      ],
      waitForLeaders: true,
    });
    await send('before', 20);
  });

  afterAll(async () => {
    await probe?.disconnect();
    await faults?.stop();
    await broker?.stop();
    await proxies?.stop();
    await toxiproxy?.stop();
  });

  it('acts through Docker (the started broker says so) and names unknown brokers', async () => {
    expect(broker.nodeFaults.mechanism).toBe('docker');
    expect(faults.mechanism).toBe('docker');
    expect(faults.nodeIds()).toEqual([1, 2, 3]);
    await expect(faults.pause(9)).rejects.toMatchObject({
      name: 'FaultError',
      code: 'FAULT_TARGET_UNKNOWN',
      message: 'unknown broker 9; the brokers are 1, 2, 3',
    });
    await expect(faults.kill(0)).rejects.toMatchObject({
      code: 'FAULT_TARGET_UNKNOWN',
      message: 'unknown broker 0; the brokers are 1, 2, 3',
    });
  });

  it('advertises the fault proxy: a client bootstrapping there reaches the brokers only through it', async () => {
    expect(broker.proxiedBootstrapServers).toHaveLength(3);
    expect(portsAtStart.every((ports) => ports.length === 2 && ports.every((p) => p.startsWith('127.0.0.1:')))).toBe(
      true,
    );
    const kafka = new Kafka({
      clientId: 'container-proxied',
      brokers: [...broker.proxiedBootstrapServers!],
      requestTimeout: 1_500,
      connectionTimeout: 1_500,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...broker.proxiedBootstrapServers!].sort());
      const fault = await proxies.network().blackhole();
      try {
        await expect(admin.describeCluster()).rejects.toThrow();
        await expect(probe.describeCluster()).resolves.toBeDefined(); // the direct listeners are untouched
      } finally {
        await fault.remove();
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('pause freezes a node (docker pause) until it is fenced, acks=all writes go on, and resume brings it back', async () => {
    const nodeId = 3;
    const id = broker.containerIds[nodeId - 1]!;
    const fault = await faults.pause(nodeId);
    try {
      expect(inspect(id).paused).toBe(true);
      await waitFor(async () => ((await liveBrokers().catch(() => [nodeId])).includes(nodeId) ? undefined : true), {
        timeoutMs: 20_000,
        description: `broker ${nodeId} to be fenced while paused`,
      });
      await send('paused', 20);
    } finally {
      await fault.remove();
    }
    expect(inspect(id).paused).toBe(false);
    await waitFor(async () => ((await liveBrokers().catch((): number[] => [])).includes(nodeId) ? true : undefined), {
      timeoutMs: 30_000,
      description: `broker ${nodeId} to rejoin after resume`,
    });
    // And to catch up: back in every ISR of the topic (so a later kill leaves two in-sync replicas).
    await waitFor(async () => ((await isrs()).every((isr) => isr.includes(nodeId)) ? true : undefined), {
      timeoutMs: 30_000,
      description: `broker ${nodeId} back in every ISR of ${topic}`,
    });
  });

  it("kill -9 of a key's leader fails the partition over; restart brings the same container back on its log and host port", async () => {
    const killed = await faults.killLeaderOf(topic, key);
    const id = broker.containerIds[killed.leader - 1]!;
    const before = inspect(id);
    expect(before.running).toBe(false);
    expect(before.exitCode).toBe(137); // SIGKILL
    // Once fenced (broker.session.timeout.ms 3 s) it leads nothing and is out of every ISR: acks=all writes need only the two left.
    await waitFor(
      async () => {
        const metadata = await probe.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
        const partitions = metadata?.topics[0]?.partitions ?? [];
        return partitions.length > 0 &&
          partitions.every((p) => p.leader >= 0 && p.leader !== killed.leader && !p.isr.includes(killed.leader))
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, description: `partitions of ${topic} led and replicated without broker ${killed.leader}` },
    );
    expect((await faults.leaderOf(topic, key)).leader).not.toBe(killed.leader);
    await send('killed', 20);

    const restartedAt = Date.now();
    await faults.restart(killed.leader);
    const after = inspect(id);
    expect(after.running).toBe(true);
    // Both published ports are back where they were: the advertised client listener and the proxy's upstream.
    expect(after.hostPorts.sort()).toEqual(portsAtStart[killed.leader - 1]);
    expect(after.hostPorts).toContain(broker.bootstrapServers[killed.leader - 1]);
    await waitFor(
      async () => {
        const metadata = await probe.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
        return metadata?.topics[0]!.partitions.find((p) => p.partitionId === killed.partition)!.isr.includes(
          killed.leader,
        )
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, description: `broker ${killed.leader} back in the ISR of ${topic}-${killed.partition}` },
    );
    console.log(`container broker ${killed.leader} restarted and back in sync after ${Date.now() - restartedAt} ms`);
    // Its log dir was kept: the start command formats only an unformatted dir, and formatted once. The
    // restarted node's output still reaches its log file.
    const log = readFileSync(broker.logFiles[killed.leader - 1]!, 'utf8');
    expect(log.match(/Formatting/g)).toHaveLength(1);
    const starts = () =>
      readFileSync(broker.logFiles[killed.leader - 1]!, 'utf8').match(/Kafka Server started/g)?.length ?? 0;
    await waitFor(() => (starts() === 2 ? true : undefined), {
      timeoutMs: 10_000,
      description: 'the restarted broker\'s "Kafka Server started" in its log file',
    });
  });

  it('every record written before and during the faults is still readable', async () => {
    // Through the fault proxy: the restarted container's proxied listener answers too.
    const proxied = new Kafka({
      clientId: 'container-faults-reader',
      brokers: [...broker.proxiedBootstrapServers!],
      logLevel: logLevel.NOTHING,
    });
    const proxiedAdmin = proxied.admin();
    await proxiedAdmin.connect();
    const seen = new Set<string>();
    await readTopic(proxied, proxiedAdmin, topic, ({ message }) => seen.add(String(message.value))).finally(() =>
      proxiedAdmin.disconnect(),
    );
    expect(sent).toHaveLength(60);
    expect([...seen].sort()).toEqual([...sent].sort());
  });
});

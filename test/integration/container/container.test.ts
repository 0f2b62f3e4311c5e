import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerBrokerProvider, START_LABEL, type StartedContainerBroker } from '../../../harness/brokers/index.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { planTopics, provisionTopics } from '../../../harness/topics/index.js';
import {
  containersLabelled,
  containerUnavailable,
  leadersOff,
  networkExists,
  roundTrip,
  topicSettings,
} from './support.js';

const skip = await containerUnavailable();

describe.skipIf(skip)('container provider: one broker', () => {
  let broker: StartedContainerBroker;
  beforeAll(async () => {
    broker = await new ContainerBrokerProvider().start();
  });
  afterAll(() => broker?.stop());

  it('is ready with one broker and a controller, published on 127.0.0.1 only', async () => {
    const cluster = await (await broker.admin()).describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    expect(cluster.controller).toBe(1);
    expect(broker.bootstrapServers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    const bindings = JSON.parse(
      execFileSync('docker', ['inspect', '--format', '{{json .HostConfig.PortBindings}}', broker.containerIds[0]!], {
        encoding: 'utf8',
      }),
    ) as Record<string, { HostIp: string }[]>;
    expect(
      Object.values(bindings)
        .flat()
        .map((b) => b.HostIp),
    ).toEqual(['127.0.0.1']);
  });

  it('runs the native provider configuration (inside the container)', () => {
    const props = execFileSync('docker', ['exec', broker.containerIds[0]!, 'cat', '/etc/gamelan/server.properties'], {
      encoding: 'utf8',
    });
    expect(props).toMatch(/^process\.roles=broker,controller$/m);
    expect(props).toMatch(/^broker\.session\.timeout\.ms=3000$/m);
    expect(props).toMatch(/^advertised\.listeners=PLAINTEXT:\/\/127\.0\.0\.1:\d+,INTERNAL:\/\/kafka-1:19092$/m);
  });

  it('provisions the five Gamelan topics and round-trips records through one', async () => {
    const admin = await broker.admin();
    const plan = planTopics(DEFAULT_CONFIG, broker.brokerCount);
    await provisionTopics(admin, plan.topics);
    const described = await topicSettings(
      admin,
      plan.topics.map((t) => t.name),
    );
    expect(described.map((d) => [d.name, d.partitions.length, d.replicationFactor, d.retentionMs])).toEqual(
      plan.topics.map((t) => [t.name, 3, 1, 2_592_000_000]),
    );
    expect(await roundTrip(broker.kafka('container-test'), plan.topics[0]!.name, 20)).toHaveLength(20);
  });

  it('stop() removes its containers and network, and a second stop is a no-op', async () => {
    const b = await new ContainerBrokerProvider().start();
    expect(containersLabelled(`${START_LABEL}=${b.startId}`)).toHaveLength(1);
    await b.stop();
    await b.stop();
    expect(containersLabelled(`${START_LABEL}=${b.startId}`)).toEqual([]);
    expect(networkExists(b.networkName)).toBe(false);
  });
});

describe.skipIf(skip)('container provider: three brokers on a user-defined network', () => {
  let broker: StartedContainerBroker;
  beforeAll(async () => {
    broker = await new ContainerBrokerProvider().start({ brokers: 3 });
  });
  afterAll(() => broker?.stop());

  it('forms one KRaft quorum, replicates the Gamelan topics and survives a node kill', async () => {
    const admin = await broker.admin();
    expect((await admin.describeCluster()).brokers).toHaveLength(3);
    const plan = planTopics(DEFAULT_CONFIG, 3);
    await provisionTopics(admin, plan.topics);
    const described = await topicSettings(
      admin,
      plan.topics.map((t) => t.name),
    );
    expect(described.every((d) => d.replicationFactor === 2 && d.partitions.length === 3)).toBe(true);
    const topic = plan.topics[1]!.name;
    expect(await roundTrip(broker.kafka('container-cluster'), topic, 30)).toHaveLength(30);
    await broker.killNode(3);
    // RF 2 with min.insync 1: once node 3 is fenced (broker.session.timeout.ms 3 s), every partition,
    // the consumer offsets' included, is led by node 1 or 2 and records still flow. Waited on, not slept.
    const survivors = new Kafka({
      clientId: 'container-cluster-after-kill',
      brokers: broker.bootstrapServers.slice(0, 2),
      logLevel: logLevel.NOTHING,
    });
    const survivorAdmin = survivors.admin();
    await survivorAdmin.connect();
    try {
      expect(await leadersOff(survivorAdmin, [topic, '__consumer_offsets'], 3, 30_000)).toBe(true);
    } finally {
      await survivorAdmin.disconnect();
    }
    expect(await roundTrip(survivors, topic, 10, 40)).toHaveLength(40);
  });
});

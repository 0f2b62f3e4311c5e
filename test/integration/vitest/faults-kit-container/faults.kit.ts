import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Admin, Producer } from 'kafkajs';
import { Kafka, logLevel } from '../../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gamelanKafka, type GamelanFaultNode, useFaults } from '../../../../harness/vitest/index.js';
import { readTopic } from '../../../../harness/topics/read-topic.js';
import { waitFor } from '../../../../harness/wait.js';

// useFaults() on container brokers, as a user calls it: this worker drives the global setup's containers through
// the Docker API (by the container ids the setup handed over). A key's leader is killed while records keyed to it
// are written; every record written before, during and after is read back. A paused node is resumed after its test.

const faults = useFaults();
const topic = `kit-container-faults-${Date.now()}`;
const key = 'kit-failover-key';
const sent: string[] = [];
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

type ContainerNode = Extract<GamelanFaultNode, { containerId: string }>;
const containerNodes = (): ContainerNode[] =>
  gamelanKafka().faults!.nodes.filter((n): n is ContainerNode => 'containerId' in n);
const containerOf = (nodeId: number) => containerNodes().find((n) => n.nodeId === nodeId)!.containerId;
const stateOf = (nodeId: number) =>
  JSON.parse(
    execFileSync('docker', ['inspect', '--format', '{{json .State}}', containerOf(nodeId)], { encoding: 'utf8' }),
  ) as { Running: boolean; Paused: boolean; ExitCode: number };
const partitionsOf = async () =>
  (await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined))?.topics[0]?.partitions ?? [];

/** One record keyed to `key`, acks=all; remembered once the cluster took it. */
const send = async (value: string) => {
  await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  sent.push(value);
};
const sendMany = async (label: string, count: number) => {
  for (let i = 0; i < count; i++) await send(`${label}-${i}`);
};

beforeAll(async () => {
  // The launcher checks these containers are gone once the run is over.
  if (process.env.GAMELAN_KIT_CONTAINERS_FILE)
    writeFileSync(
      process.env.GAMELAN_KIT_CONTAINERS_FILE,
      containerNodes()
        .map((n) => n.containerId)
        .join('\n'),
    );
  // Direct listeners, short timeouts: a request to a dead or frozen node fails fast and is retried elsewhere.
  kafka = new Kafka({
    clientId: 'kit-container-faults',
    brokers: [...gamelanKafka().bootstrapServers],
    logLevel: logLevel.NOTHING,
    requestTimeout: 5_000,
    connectionTimeout: 1_500,
    retry: { retries: 20, maxRetryTime: 2_000 },
  });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
    ],
    waitForLeaders: true,
  });
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

it('reaches the containers through Docker, named by the global setup', () => {
  const { brokers, proxiedBootstrapServers } = faults();
  expect(brokers.mechanism).toBe('docker');
  expect(brokers.nodeIds()).toEqual([1, 2, 3]);
  expect(containerNodes().map((n) => n.nodeId)).toEqual([1, 2, 3]);
  expect(proxiedBootstrapServers).toHaveLength(3);
});

it("kill -9 of a key's leader: records written before, during and after are all read back; restart brings it back", async () => {
  const { brokers } = faults();
  await sendMany('before', 10);
  // Written one by one while the leader is killed, and on until 10 more went through after it died.
  let sinceKill: number | undefined;
  const during = (async () => {
    for (let i = 0; (sinceKill ?? 0) < 10; i++) {
      await send(`during-${i}`);
      if (sinceKill !== undefined) sinceKill++;
    }
  })();
  during.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const killed = await brokers.killLeaderOf(topic, key);
  const killedAt = Date.now();
  sinceKill = 0;
  expect(stateOf(killed.leader)).toMatchObject({ Running: false, ExitCode: 137 }); // SIGKILL
  await during;
  await waitFor(
    async () => ([-1, killed.leader].includes((await brokers.leaderOf(topic, key)).leader) ? undefined : true),
    {
      timeoutMs: 30_000,
      description: `a new leader for ${topic}-${killed.partition}`,
    },
  );
  const newLeaderMs = Date.now() - killedAt;
  await sendMany('after', 10);

  // readTopic reads on through the crashes kafkajs restarts from (the group coordinator may be the killed node).
  const seen = new Set<string>();
  await readTopic(kafka, admin, topic, ({ message }) => seen.add(String(message.value)));
  expect(sent.filter((v) => v.startsWith('during-')).length).toBeGreaterThanOrEqual(10);
  expect(sent).toHaveLength(new Set(sent).size);
  expect([...seen].sort()).toEqual([...sent].sort());

  // Docker starts a container again from any process: the same node, back in the ISR of the partition it led.
  const restartedAt = Date.now();
  await brokers.restart(killed.leader);
  expect(stateOf(killed.leader).Running).toBe(true);
  await waitFor(
    async () =>
      (await partitionsOf()).find((p) => p.partitionId === killed.partition)?.isr.includes(killed.leader)
        ? true
        : undefined,
    {
      timeoutMs: 60_000,
      description: `broker ${killed.leader} back in the ISR of ${topic}-${killed.partition}`,
    },
  );
  console.log(
    `killed leader ${killed.leader} of ${topic}-${killed.partition}: new leader seen after ${newLeaderMs} ms, ${sent.filter((v) => v.startsWith('during-')).length} records written across the kill, ` +
      `${sent.length} read back; restarted and back in the ISR after ${Date.now() - restartedAt} ms`,
  );
});

it('pauses a broker node (docker pause); it is resumed after the test', async () => {
  const { brokers } = faults();
  await brokers.pause(2);
  expect(stateOf(2)).toMatchObject({ Running: true, Paused: true });
});

it('the node paused by the last test runs again', () => {
  expect(stateOf(2)).toMatchObject({ Running: true, Paused: false });
});

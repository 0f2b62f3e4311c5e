import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import type {
  Admin,
  BatchPayload,
  ConsumedMessage,
  Consumer,
  KafkaClient,
  ProducedMessage,
} from '../../../harness/clients/client-api.js';
import { COMPRESSION } from '../../../harness/clients/client-api.js';
import { platformaticNodeProblem } from '../../../harness/clients/client-choice.js';
import { createClient } from '../../../harness/clients/create-client.js';
import { partitionForKey } from '../../../harness/protocol/index.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';

// The @platformatic/kafka adapter of the harness's client interface (client-api.ts) on a real broker: produce with
// keys and headers, consume in per-partition batches with explicit commits after the handler, the admin calls, both
// group protocols. Runs on Node 22.22+/24.6+ (CI's Node 24 part); on an older Node it skips and says why.

const skip = platformaticNodeProblem();
if (skip) console.warn(`[skip] @platformatic/kafka adapter tests: ${skip}`);

const PARTITIONS = 3;

describe.skipIf(skip !== undefined)('the @platformatic/kafka adapter on a real broker', () => {
  let broker: StartedBroker;
  let client: KafkaClient;
  let admin: Admin;

  beforeAll(async () => {
    // The library option: every client the broker hands out (kafka(), admin()) is a platformatic one.
    broker = await startTestBroker({ client: 'platformatic' });
    client = createClient({
      kind: 'platformatic',
      clientId: 'platformatic-test',
      brokers: broker.bootstrapServers,
      security: broker.security,
    });
    admin = client.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  const records = (n: number): ProducedMessage[] =>
    Array.from({ length: n }, (_, i) => ({
      key: `run-${i % 7}`,
      value: JSON.stringify({ i }),
      headers: { traceparent: `tp-${i}`, 'x-bytes': Buffer.from([i, 255]) },
    }));

  async function newTopic(partitions = PARTITIONS, messages: ProducedMessage[] = []): Promise<string> {
    const topic = uniqueTopic('plat');
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (messages.length > 0) {
      const producer = client.producer();
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, compression: COMPRESSION.snappy, messages });
      } finally {
        await producer.disconnect();
      }
    }
    return topic;
  }

  /** Consume `topic` in `groupId` until `count` records were handled; each batch is committed after its handler. */
  async function consumeAll(
    topic: string,
    groupId: string,
    count: number,
    groupProtocol: 'classic' | 'consumer' = 'classic',
  ) {
    const seen: (ConsumedMessage & { partition: number })[] = [];
    const consumer: Consumer = client.consumer({
      groupId,
      groupProtocol,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    const joins: unknown[] = [];
    consumer.on(consumer.events.GROUP_JOIN, (e) => joins.push(e.payload));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatch: async ({ batch }: BatchPayload) => {
        for (const m of batch.messages) seen.push({ ...m, partition: batch.partition });
        await consumer.commitOffsets([
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: String(BigInt(batch.messages.at(-1)!.offset) + 1n),
          },
        ]);
      },
    });
    try {
      await waitFor(() => (seen.length >= count ? true : undefined), {
        timeoutMs: 30_000,
        description: `${count} records on ${topic}`,
        describeLast: () => `${seen.length} records`,
      });
    } finally {
      await consumer.disconnect();
    }
    return { seen, joins };
  }

  it('admin: creates a topic, describes the cluster, topics, offsets and configs', async () => {
    const topic = uniqueTopic('plat-admin');
    expect(
      await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: PARTITIONS,
            replicationFactor: 1,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
        ],
      }),
    ).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] })).toBe(
      false,
    );
    expect(await admin.listTopics()).toContain(topic);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(broker.brokerCount);
    expect(cluster.clusterId).not.toBe('');
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0]!.partitions.map((p) => p.partitionId)).toEqual([0, 1, 2]);
    expect(await admin.fetchTopicOffsets(topic)).toEqual(
      [0, 1, 2].map((partition) => ({ partition, offset: '0', high: '0', low: '0' })),
    );
    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    expect(configs.resources[0]!.configEntries).toEqual([
      expect.objectContaining({ configName: 'retention.ms', configValue: '3600000', isDefault: false }),
    ]);
    await admin.deleteTopics({ topics: [topic] });
  });

  it('produces with keys and headers to the partition the Java client picks, one answer per partition written', async () => {
    const topic = await newTopic();
    const producer = client.producer();
    await producer.connect();
    const sent = records(30);
    const answers = await producer.send({ topic, acks: -1, compression: COMPRESSION.snappy, messages: sent });
    await producer.disconnect();
    const expected = [...new Set(sent.map((r) => partitionForKey(r.key as string, PARTITIONS)))].sort();
    expect(answers.map((a) => a.partition).sort()).toEqual(expected);
    expect(answers.every((a) => a.topicName === topic && a.errorCode === 0 && a.baseOffset === '0')).toBe(true);
    const highs = await admin.fetchTopicOffsets(topic);
    expect(highs.reduce((sum, p) => sum + Number(p.high), 0)).toBe(30);

    const { seen } = await consumeAll(topic, uniqueTopic('g'), 30);
    for (const [i, r] of sent.entries()) {
      const got = seen.find((m) => m.value?.toString() === r.value)!;
      expect(got.partition).toBe(partitionForKey(r.key as string, PARTITIONS));
      expect(got.key?.toString()).toBe(r.key);
      expect(got.headers?.traceparent?.toString()).toBe(`tp-${i}`);
      expect([...(got.headers?.['x-bytes'] as Buffer)]).toEqual([i, 255]);
    }
  });

  it.each(['classic', 'consumer'] as const)(
    'consumes with the %s group protocol and commits what it handled',
    async (protocol) => {
      const topic = await newTopic(PARTITIONS, records(20));
      const groupId = uniqueTopic(`g-${protocol}`);
      // Each record written once: the library retries a produce request whole when some of its partitions failed,
      // so without the adapter's idempotent default a topic just created got some partitions' records twice.
      expect((await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0)).toBe(20);
      const { seen, joins } = await consumeAll(topic, groupId, 20, protocol);
      expect(new Set(seen.map((r) => `${r.partition}:${r.offset}`)).size).toBe(20);
      expect(joins[0]).toMatchObject({ groupId, groupProtocol: protocol });
      const highs = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed!.partitions.map((p) => p.offset)).toEqual(highs.map((p) => (p.high === '0' ? '-1' : p.high)));
      const listed = (await admin.listGroups()).groups.find((g) => g.groupId === groupId);
      expect(listed).toBeDefined();
    },
  );

  it('commits only what the handler committed: a handler that throws crashes the consumer, which restarts from the last commit', async () => {
    const topic = await newTopic(
      1,
      Array.from({ length: 10 }, (_, i) => ({ key: null, value: String(i), partition: 0 })),
    );
    const groupId = uniqueTopic('g-commit');
    const consumer = client.consumer({ groupId });
    const crashes: boolean[] = [];
    consumer.on(consumer.events.CRASH, (e) => crashes.push(e.payload.restart));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const handled: string[] = [];
    let failOnce = true;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (message.offset === '4' && failOnce) {
          failOnce = false;
          throw new Error('handler failed on offset 4');
        }
        handled.push(message.offset);
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      },
    });
    try {
      await waitFor(() => (handled.length >= 10 ? true : undefined), {
        timeoutMs: 30_000,
        description: '10 records handled',
        describeLast: () => handled.join(','),
      });
    } finally {
      await consumer.disconnect();
    }
    expect(crashes).toEqual([true]);
    expect(handled).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed!.partitions).toEqual([{ partition: 0, offset: '10', metadata: expect.anything() }]);
  });

  it("sets and resets a group's offsets and lists and deletes the group", async () => {
    const topic = await newTopic(1, records(5));
    const groupId = uniqueTopic('g-offsets');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset).toBe('2');
    await admin.resetOffsets({ groupId, topic, earliest: false });
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset).toBe('5');
    const { seen } = await consumeAll(await newTopic(1, records(3)), groupId, 3);
    expect(seen).toHaveLength(3);
    await admin.deleteGroups([groupId]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
  });

  it('a broker started with client: platformatic hands out platformatic clients, its shared admin too', async () => {
    expect(broker.kafka('plat-kind').producer().constructor.name).toBe('PlatformaticProducer');
    const shared = await broker.admin();
    expect(shared.constructor.name).toBe('PlatformaticAdmin');
    expect((await shared.describeCluster()).brokers).toHaveLength(broker.brokerCount);
  });

  it('refuses a socket factory (per-client fault lanes need kafkajs)', () => {
    expect(() =>
      createClient({
        kind: 'platformatic',
        clientId: 'x',
        brokers: broker.bootstrapServers,
        socketFactory: () => undefined as never,
      }),
    ).toThrow(/no public socket hook/);
  });
});

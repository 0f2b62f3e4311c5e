import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { platformaticNodeProblem } from '../../../harness/clients/client-choice.js';
import type { PlatformaticAdmin } from '../../../harness/clients/platformatic/admin.js';
import type { ConsumedRecord, GroupProtocol, PlatformaticConsumer } from '../../../harness/clients/platformatic/consumer.js';
import type { PlatformaticConnection } from '../../../harness/clients/platformatic/connection.js';
import type { OutgoingRecord, PlatformaticProducer } from '../../../harness/clients/platformatic/producer.js';
import { partitionForKey } from '../../../harness/protocol/index.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';

// The @platformatic/kafka adapter's building blocks on a real broker: produce with keys and headers, consume with a
// commit after each record's handler, the admin calls. Runs on Node 22.22+/24.6+ (CI's Node 24 part); on an older
// Node it skips and says why.

const skip = platformaticNodeProblem();
if (skip) console.warn(`[skip] @platformatic/kafka adapter tests: ${skip}`);

const PARTITIONS = 3;

describe.skipIf(skip !== undefined)('the @platformatic/kafka adapter on a real broker', () => {
  let broker: StartedBroker;
  let connection: PlatformaticConnection;
  let admin: PlatformaticAdmin;
  let adapter: typeof import('../../../harness/clients/platformatic/index.js');

  beforeAll(async () => {
    adapter = await import('../../../harness/clients/platformatic/index.js');
    broker = await startTestBroker();
    connection = { bootstrapServers: broker.bootstrapServers, clientId: 'platformatic-test', security: broker.security };
    admin = await adapter.PlatformaticAdmin.create(connection);
  });

  afterAll(async () => {
    await admin?.close();
    await broker?.stop();
  });

  async function topicWith(records: readonly OutgoingRecord[]): Promise<string> {
    const topic = uniqueTopic('plat');
    await admin.createTopics([{ name: topic, partitions: PARTITIONS, replicationFactor: 1 }]);
    await using producer = await adapter.PlatformaticProducer.create({ ...connection, clientId: 'plat-producer' });
    await producer.send(topic, records);
    return topic;
  }

  const records = (n: number, prefix = 'run'): OutgoingRecord[] =>
    Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i % 7}`, value: JSON.stringify({ i }), headers: { traceparent: `tp-${i}`, 'x-bytes': Buffer.from([i, 255]) } }));

  async function consumeAll(topic: string, groupId: string, count: number, groupProtocol: GroupProtocol, onRecord?: (r: ConsumedRecord) => void) {
    const seen: ConsumedRecord[] = [];
    const consumer: PlatformaticConsumer = await adapter.PlatformaticConsumer.create({
      ...connection,
      clientId: `plat-${groupProtocol}`,
      groupId,
      topics: [topic],
      fromBeginning: true,
      groupProtocol,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
    });
    const { done } = await consumer.run((r) => {
      onRecord?.(r);
      seen.push(r);
    });
    try {
      await Promise.race([
        waitFor(() => (seen.length >= count ? true : undefined), { timeoutMs: 30_000, description: `${count} records on ${topic}`, describeLast: () => `${seen.length} records` }),
        done.then(() => Promise.reject(new Error('the consumer stopped early'))),
      ]);
    } finally {
      await consumer.stop();
    }
    return { seen, done };
  }

  it('admin: creates a topic, describes the cluster and answers offsets', async () => {
    const topic = uniqueTopic('plat-admin');
    await admin.createTopics([{ name: topic, partitions: PARTITIONS, replicationFactor: 1, configs: { 'retention.ms': '3600000' } }]);
    expect(await admin.listTopics()).toContain(topic);
    const cluster = await admin.cluster([topic]);
    expect(cluster.brokers).toHaveLength(broker.brokerCount);
    expect(cluster.topics.find((t) => t.name === topic)?.partitions).toHaveLength(PARTITIONS);
    expect(await admin.topicOffsets(topic)).toEqual([0, 1, 2].map((partition) => ({ partition, low: '0', high: '0' })));
    await admin.deleteTopics([topic]);
  });

  it('produces with keys and headers to the partition the Java client picks, and says where each record went', async () => {
    const topic = uniqueTopic('plat-produce');
    await admin.createTopics([{ name: topic, partitions: PARTITIONS, replicationFactor: 1 }]);
    await using producer = await adapter.PlatformaticProducer.create({ ...connection, clientId: 'plat-producer' });
    const sent = records(30);
    const positions = await producer.send(topic, sent);
    expect(positions.map((p) => p.partition)).toEqual(sent.map((r) => partitionForKey(r.key as string, PARTITIONS)));
    // Offsets per partition are consecutive from 0, in the order given.
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const offsets = positions.filter((p) => p.partition === partition).map((p) => p.offset);
      expect(offsets).toEqual(offsets.map((_, i) => String(i)));
    }
    const highs = await admin.topicOffsets(topic);
    expect(highs.reduce((sum, p) => sum + Number(p.high), 0)).toBe(30);

    const { seen } = await consumeAll(topic, uniqueTopic('g'), 30, 'classic');
    const byOffset = new Map(seen.map((r) => [`${r.partition}:${r.offset}`, r]));
    sent.forEach((r, i) => {
      const got = byOffset.get(`${positions[i]!.partition}:${positions[i]!.offset}`)!;
      expect(got.key?.toString()).toBe(r.key);
      expect(got.value?.toString()).toBe(r.value);
      expect(got.headers.traceparent?.toString()).toBe(`tp-${i}`);
      expect([...got.headers['x-bytes']!]).toEqual([i, 255]);
    });
  });

  it.each(['classic', 'consumer'] as const)('consumes with the %s group protocol and commits every handled record', async (protocol) => {
    const topic = await topicWith(records(20));
    const groupId = uniqueTopic(`g-${protocol}`);
    const { seen } = await consumeAll(topic, groupId, 20, protocol);
    expect(new Set(seen.map((r) => `${r.partition}:${r.offset}`)).size).toBe(20);
    const highs = await admin.topicOffsets(topic);
    const committed = await admin.committedOffsets(groupId);
    expect(committed.sort((a, b) => a.partition - b.partition)).toEqual(highs.filter((p) => p.high !== '0').map((p) => ({ topic, partition: p.partition, offset: p.high })));
    const listed = (await admin.listGroups()).find((g) => g.groupId === groupId);
    expect(listed?.type).toBe(protocol);
  });

  it('commits only after the handler: a handler that throws leaves its record uncommitted, and the group reads it again', async () => {
    const topic = uniqueTopic('plat-commit');
    await admin.createTopics([{ name: topic, partitions: 1, replicationFactor: 1 }]);
    {
      await using producer = await adapter.PlatformaticProducer.create({ ...connection, clientId: 'plat-producer' });
      await producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key: null, value: String(i), partition: 0 })));
    }
    const groupId = uniqueTopic('g-commit');
    const consumer = await adapter.PlatformaticConsumer.create({ ...connection, clientId: 'plat-fails', groupId, topics: [topic], fromBeginning: true });
    const { done } = await consumer.run((r) => {
      if (r.offset === '4') throw new Error('handler failed on offset 4');
    });
    await expect(done).rejects.toThrow('handler failed on offset 4');
    await consumer.stop();
    expect(await admin.committedOffsets(groupId)).toEqual([{ topic, partition: 0, offset: '4' }]);

    const { seen } = await consumeAll(topic, groupId, 6, 'classic');
    expect(seen.map((r) => r.offset)).toEqual(['4', '5', '6', '7', '8', '9']);
  });
});

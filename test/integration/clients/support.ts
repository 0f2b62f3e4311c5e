import type { Admin, KafkaClient } from '../../../harness/clients/client-api.js';
import { gamelanKafkaSchema, type GamelanKafkaConfig, topicNames } from '../../../harness/config/index.js';
import { TOPIC_ROLES, type TopicRole } from '../../../harness/vocabulary.js';
import { waitFor } from '../../../harness/wait.js';
import { workspaceConfig, workspacePrefix } from '../../../harness/workspace/index.js';
import { uniqueTopic } from '../../support/broker.js';

export const PARTITIONS = 3;

/**
 * A configuration whose five topics and group carry a unique prefix (derived as a workspace's is), with short
 * backoffs for tests. The topics are not created: these tests create the roles they need (createTopics).
 */
export function testConfig(prefix: string): GamelanKafkaConfig {
  const base = gamelanKafkaSchema.parse({
    dlq: { maxRetries: 2, backoffMs: 20, maxBackoffMs: 100 },
    partitions: PARTITIONS,
    replicationFactor: 1,
  });
  return workspaceConfig(base, workspacePrefix(prefix), {
    consumer: { groupId: 'group', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 },
  });
}

export async function createTopics(
  admin: Admin,
  config: GamelanKafkaConfig,
  roles: readonly TopicRole[] = TOPIC_ROLES,
): Promise<void> {
  const names = topicNames(config);
  await admin.createTopics({
    waitForLeaders: true,
    topics: roles.map((role) => ({
      topic: names[role],
      numPartitions: config.partitions,
      replicationFactor: config.replicationFactor,
    })),
  });
}

export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
  readonly timestamp: string;
}

/** Read a topic from the beginning with a throw-away group until `count` records arrived (raw records, no decoding). */
export async function readTopic(
  kafka: KafkaClient,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniqueTopic('reader'), allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        records.push({
          topic: t,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(String(v))]),
          ),
          timestamp: message.timestamp,
        });
      },
    });
    await waitFor(() => (records.length >= count ? true : undefined), {
      timeoutMs,
      description: `${count} records on ${topic}`,
      describeLast: () => `${records.length} records`,
    });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** The committed offset of a group for one partition (-1 when none). */
export async function committedOffset(
  admin: Admin,
  groupId: string,
  topic: string,
  partition: number,
): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const offset = entry?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
  return Number(offset);
}

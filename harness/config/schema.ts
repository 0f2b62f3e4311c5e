import { z } from 'zod';
import { DIALECT_TOPIC_DEFAULTS, type TopicRole } from '../vocabulary.js';

// The gamelan.kafka.* configuration, once. Keys are camelCase here and kebab-case in files
// (`maxPollRecords` ⇄ `max-poll-records`); the loader converts, so the list of known keys,
// the defaults (those of the protocol spec) and the types all derive from this schema.

const integer = (min: number) => z.coerce.number().int().min(min);
const bool = z.union([z.boolean(), z.stringbool()]);

/** Kafka's own rule for topic names (see `org.apache.kafka.common.internals.Topic`). */
export const topicName = z
  .string()
  .min(1)
  .max(249)
  .regex(/^[a-zA-Z0-9._-]+$/, 'must use only letters, digits, ".", "_" and "-" (Kafka topic name rules)');

const topicSection = (defaultName: string) => z.strictObject({ topic: topicName.default(defaultName) }).prefault({});

export const gamelanKafkaSchema = z
  .strictObject({
    tasks: topicSection(DIALECT_TOPIC_DEFAULTS.spec.tasks),
    results: topicSection(DIALECT_TOPIC_DEFAULTS.spec.results),
    events: topicSection(DIALECT_TOPIC_DEFAULTS.spec.events),
    status: topicSection(DIALECT_TOPIC_DEFAULTS.spec.status),
    dlq: z
      .strictObject({
        topic: topicName.default(DIALECT_TOPIC_DEFAULTS.spec.dlq),
        enabled: bool.default(true),
        maxRetries: integer(0).max(100).default(3),
        backoffMs: integer(0).default(1000),
        // Harness extensions (not in the spec): exponential backoff with a cap.
        backoffMultiplier: z.coerce.number().min(1).max(10).default(2),
        maxBackoffMs: integer(0).default(30_000),
      })
      .prefault({}),
    partitions: integer(1).max(10_000).default(3),
    replicationFactor: integer(1).max(32_767).default(2),
    retentionDays: z.coerce.number().positive().default(30),
    consumer: z
      .strictObject({
        groupId: z.string().min(1).default('gamelan-executors'),
        autoOffsetReset: z.enum(['earliest', 'latest', 'none']).default('earliest'),
        enableAutoCommit: bool.default(true),
        maxPollRecords: integer(1).default(100),
        sessionTimeoutMs: integer(1).default(30_000),
        heartbeatIntervalMs: integer(1).default(3_000),
        fetchMinBytes: integer(1).default(1),
      })
      .prefault({}),
    producer: z
      .strictObject({
        acks: z.enum(['all', '-1', '0', '1']).default('all'),
        compressionType: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('snappy'),
        lingerMs: integer(0).default(100),
        batchSize: integer(0).default(32_768),
      })
      .prefault({}),
  })
  .prefault({});

export type GamelanKafkaConfig = z.output<typeof gamelanKafkaSchema>;
export type GamelanKafkaConfigInput = z.input<typeof gamelanKafkaSchema>;

export const DEFAULT_CONFIG: GamelanKafkaConfig = gamelanKafkaSchema.parse({});

/** 30 days → 2592000000, as the spec's `kafka-topics --config retention.ms=…`. */
export function retentionMs(config: GamelanKafkaConfig): number {
  return Math.round(config.retentionDays * 24 * 60 * 60 * 1000);
}

export function topicNames(config: GamelanKafkaConfig): Record<TopicRole, string> {
  return {
    tasks: config.tasks.topic,
    results: config.results.topic,
    events: config.events.topic,
    status: config.status.topic,
    dlq: config.dlq.topic,
  };
}

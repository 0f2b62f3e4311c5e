import { randomBytes } from 'node:crypto';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';

/** A run's own prefix: `c-<type>-<hex>` (a Kafka-safe topic prefix). */
export function contractPrefix(executorType: string): string {
  return `c-${executorType.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)}-${randomBytes(3).toString('hex')}`;
}

/** The run's configuration: its own topic names and group id (as scenarioConfig does for scenarios). */
export function contractConfig(base: GamelanKafkaConfig, prefix: string, executorType: string): GamelanKafkaConfig {
  const names = topicNames(base);
  return {
    ...base,
    tasks: { topic: `${prefix}.${names.tasks}` },
    results: { topic: `${prefix}.${names.results}` },
    events: { topic: `${prefix}.${names.events}` },
    status: { topic: `${prefix}.${names.status}` },
    dlq: { ...base.dlq, topic: `${prefix}.${names.dlq}` },
    consumer: { ...base.consumer, groupId: `${prefix}.${executorType}-executors`, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 },
  };
}

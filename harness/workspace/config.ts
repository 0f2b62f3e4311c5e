import { randomBytes } from 'node:crypto';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';

// An isolated run's configuration: the base configuration with the run's own topic names (one unique
// prefix) and group ids. Scenarios, contract runs and test files all derive theirs here.

/** What a workspace may change in the base configuration (merged over it). */
export interface WorkspaceOverrides {
  readonly partitions?: number;
  readonly dlq?: {
    readonly maxRetries?: number;
    readonly backoffMs?: number;
    readonly backoffMultiplier?: number;
    readonly maxBackoffMs?: number;
  };
  readonly consumer?: {
    /** The executors' group, under the prefix: `<prefix>.<groupId>` (default: the base group id). */
    readonly groupId?: string;
    /** Default 6 s (the spec's 30 s is for production): a crashed member is noticed in seconds. */
    readonly sessionTimeoutMs?: number;
    /** Default 500 ms. */
    readonly heartbeatIntervalMs?: number;
  };
}

/** Fast failure detection for isolated runs: a crashed member is noticed in seconds, not 30 s. */
export const WORKSPACE_SESSION_TIMEOUT_MS = 6_000;
export const WORKSPACE_HEARTBEAT_INTERVAL_MS = 500;

/** A unique, Kafka-safe prefix: `<name>-<6 hex>` (the name cleaned to topic-name characters, at most 62). */
export function workspacePrefix(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 62)}-${randomBytes(3).toString('hex')}`;
}

/** The base configuration with this prefix's topic names and group id, and the overrides merged in. */
export function workspaceConfig(
  base: GamelanKafkaConfig,
  prefix: string,
  overrides: WorkspaceOverrides = {},
): GamelanKafkaConfig {
  const names = topicNames(base);
  return {
    ...base,
    partitions: overrides.partitions ?? base.partitions,
    tasks: { topic: `${prefix}.${names.tasks}` },
    results: { topic: `${prefix}.${names.results}` },
    events: { topic: `${prefix}.${names.events}` },
    status: { topic: `${prefix}.${names.status}` },
    dlq: { ...base.dlq, ...overrides.dlq, topic: `${prefix}.${names.dlq}` },
    consumer: {
      ...base.consumer,
      groupId: `${prefix}.${overrides.consumer?.groupId ?? base.consumer.groupId}`,
      sessionTimeoutMs: overrides.consumer?.sessionTimeoutMs ?? WORKSPACE_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: overrides.consumer?.heartbeatIntervalMs ?? WORKSPACE_HEARTBEAT_INTERVAL_MS,
    },
  };
}

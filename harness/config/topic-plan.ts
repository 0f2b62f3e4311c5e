import { type GamelanKafkaConfig, retentionMs, topicNames } from './schema.js';
import { TOPIC_ROLES, type TopicRole } from '../vocabulary.js';
import { TopicError } from '../errors.js';

// The five Gamelan topics as the configuration wants them on a cluster of a given size: a pure
// function of the configuration, so brokers/ (compose's one-shot service) and topics/ (provisioning)
// both read it from here.

/** One Gamelan topic as the configuration wants it on a given cluster. */
export interface TopicPlan {
  readonly role: TopicRole;
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly retentionMs: number;
}

export interface TopicsPlan {
  readonly topics: readonly TopicPlan[];
  /** Things the user should know (a clamped replication factor). */
  readonly warnings: readonly string[];
}

/**
 * The five topics for `brokerCount` brokers. A replication factor above the broker count is
 * clamped with a warning on a single-broker development cluster (the spec's own default of 2
 * must boot on one broker); on a multi-broker cluster it is a mistake and an error, raised
 * before anything starts.
 */
export function planTopics(config: GamelanKafkaConfig, brokerCount: number, source = 'configuration'): TopicsPlan {
  const warnings: string[] = [];
  let replicationFactor = config.replicationFactor;
  if (replicationFactor > brokerCount) {
    if (brokerCount > 1) {
      throw new TopicError(
        'REPLICATION_FACTOR_TOO_HIGH',
        `${source}: gamelan.kafka.replication-factor = ${replicationFactor} is not allowed on a cluster of ` +
          `${brokerCount} brokers: it must be ≤ ${brokerCount}. Lower it, or start more brokers (--brokers ${replicationFactor}).`,
      );
    }
    warnings.push(
      `gamelan.kafka.replication-factor = ${replicationFactor} is above the broker count (${brokerCount}); ` +
        `using ${brokerCount}. Start with --brokers 3 for real replication.`,
    );
    replicationFactor = brokerCount;
  }
  const names = topicNames(config);
  const topics = TOPIC_ROLES.map((role) => ({
    role,
    name: names[role],
    partitions: config.partitions,
    replicationFactor,
    retentionMs: retentionMs(config),
  }));
  return { topics, warnings };
}

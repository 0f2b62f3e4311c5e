import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, gamelanKafkaSchema } from '../../../harness/config/index.js';
import { TopicError } from '../../../harness/errors.js';
import { planTopics } from '../../../harness/config/index.js';

describe('planTopics', () => {
  it('plans the five topics with the spec settings', () => {
    const { topics, warnings } = planTopics(DEFAULT_CONFIG, 3);
    expect(topics.map((t) => t.name)).toEqual([
      'gamelan.workflow-tasks',
      'gamelan.task-results',
      'gamelan.workflow-events',
      'gamelan.status-updates',
      'gamelan.dead-letter-queue',
    ]);
    expect(
      topics.every((t) => t.partitions === 3 && t.replicationFactor === 2 && t.retentionMs === 2_592_000_000),
    ).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('clamps the replication factor on one broker, with a warning', () => {
    const { topics, warnings } = planTopics(DEFAULT_CONFIG, 1);
    expect(topics.every((t) => t.replicationFactor === 1)).toBe(true);
    expect(warnings[0]).toContain('replication-factor = 2 is above the broker count (1)');
  });

  it('refuses a replication factor above a multi-broker cluster', () => {
    const config = gamelanKafkaSchema.parse({ replicationFactor: 4 });
    expect(() => planTopics(config, 3, 'app.properties')).toThrowError(TopicError);
    try {
      planTopics(config, 3, 'app.properties');
    } catch (error) {
      expect((error as TopicError).code).toBe('REPLICATION_FACTOR_TOO_HIGH');
      expect((error as Error).message).toContain('app.properties: gamelan.kafka.replication-factor = 4');
      expect((error as Error).message).toContain('must be ≤ 3');
    }
  });
});

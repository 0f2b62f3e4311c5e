import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, topicNames } from '../../../harness/config/index.js';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { ConfigError } from '../../../harness/errors.js';
import { workspaceConfig, workspacePrefix } from '../../../harness/workspace/config.js';
import { openWorkspace, type WorkspaceDialect } from '../../../harness/workspace/workspace.js';

// An isolated run's configuration: derived once, for scenarios, contract runs and test files alike.
describe('workspacePrefix', () => {
  it('is the name plus 6 random hex digits, unique per call', () => {
    expect(workspacePrefix('s-retry-storm')).toMatch(/^s-retry-storm-[0-9a-f]{6}$/);
    expect(workspacePrefix('x')).not.toBe(workspacePrefix('x'));
  });

  it('cleans the name to Kafka topic characters and bounds its length', () => {
    expect(workspacePrefix('c-my executor/v2')).toMatch(/^c-my_executor_v2-[0-9a-f]{6}$/);
    expect(workspacePrefix('a'.repeat(300)).length).toBe(62 + 7);
  });
});

describe('workspaceConfig', () => {
  it('prefixes the five topics and the executors group, with fast failure detection', () => {
    const config = workspaceConfig(DEFAULT_CONFIG, 'p-1');
    expect(topicNames(config)).toEqual({
      tasks: 'p-1.gamelan.workflow-tasks',
      results: 'p-1.gamelan.task-results',
      events: 'p-1.gamelan.workflow-events',
      status: 'p-1.gamelan.status-updates',
      dlq: 'p-1.gamelan.dead-letter-queue',
    });
    expect(config.consumer).toEqual({
      ...DEFAULT_CONFIG.consumer,
      groupId: 'p-1.gamelan-executors',
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
    });
    expect(config.partitions).toBe(DEFAULT_CONFIG.partitions);
    expect(config.producer).toBe(DEFAULT_CONFIG.producer);
  });

  it('merges the overrides: partitions, dlq retries and backoff, the executors group and its timeouts', () => {
    const config = workspaceConfig(DEFAULT_CONFIG, 'p-2', {
      partitions: 6,
      dlq: { maxRetries: 2, backoffMs: 100 },
      consumer: { groupId: 'pay-executors', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 },
    });
    expect(config.partitions).toBe(6);
    expect(config.dlq).toEqual({
      ...DEFAULT_CONFIG.dlq,
      maxRetries: 2,
      backoffMs: 100,
      topic: 'p-2.gamelan.dead-letter-queue',
    });
    expect(config.consumer).toMatchObject({
      groupId: 'p-2.pay-executors',
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
    });
  });

  it('keeps the base configuration untouched', () => {
    const before = structuredClone(DEFAULT_CONFIG);
    workspaceConfig(DEFAULT_CONFIG, 'p-3', { dlq: { maxRetries: 0 } });
    expect(DEFAULT_CONFIG).toEqual(before);
  });
});

describe('openWorkspace dialect', () => {
  it('refuses a dialect it does not speak, naming the value and what is allowed, before touching the broker', async () => {
    const broker = {
      admin: () => Promise.reject(new Error('the broker must not be reached')),
    } as unknown as StartedBroker;
    const opening = openWorkspace(broker, DEFAULT_CONFIG, { name: 'x', dialect: 'klingon' as WorkspaceDialect });
    await expect(opening).rejects.toThrowError(ConfigError);
    await expect(opening).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      message: expect.stringMatching(/dialect = "klingon" is not allowed: use one of spec/),
    });
  });
});

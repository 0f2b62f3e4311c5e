import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  KNOWN_KEYS,
  readConfig,
  parseConfig,
  retentionMs,
  topicNames,
} from '../../../harness/config/index.js';
import { configErrorOf, scratchFiles } from '../../support/config-files.js';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/config');
const { dir, file } = scratchFiles('gamelan-config-test-');
const errorOf = configErrorOf;

describe('defaults', () => {
  it('are the spec defaults', () => {
    expect(topicNames(DEFAULT_CONFIG)).toEqual({
      tasks: 'gamelan.workflow-tasks',
      results: 'gamelan.task-results',
      events: 'gamelan.workflow-events',
      status: 'gamelan.status-updates',
      dlq: 'gamelan.dead-letter-queue',
    });
    expect(DEFAULT_CONFIG.partitions).toBe(3);
    expect(DEFAULT_CONFIG.replicationFactor).toBe(2);
    expect(retentionMs(DEFAULT_CONFIG)).toBe(2_592_000_000);
    expect(DEFAULT_CONFIG.consumer).toMatchObject({
      autoOffsetReset: 'earliest',
      maxPollRecords: 100,
      sessionTimeoutMs: 30_000,
    });
    expect(DEFAULT_CONFIG.producer).toMatchObject({
      acks: 'all',
      compressionType: 'snappy',
      lingerMs: 100,
      batchSize: 32_768,
    });
    expect(DEFAULT_CONFIG.dlq).toMatchObject({ enabled: true, maxRetries: 3, backoffMs: 1000 });
  });

  it('readConfig() without a file gives the defaults', () => {
    expect(readConfig().gamelan).toEqual(DEFAULT_CONFIG);
    expect(readConfig().source).toBeUndefined();
  });
});

describe('the spec files', () => {
  it('application.properties and application.yaml mean the same', () => {
    const props = readConfig(path.join(fixtures, 'application.properties'));
    const yaml = readConfig(path.join(fixtures, 'application.yaml'));
    expect(props.gamelan).toEqual(yaml.gamelan);
    expect(props.gamelan).toEqual(DEFAULT_CONFIG);
    expect(props.kafka).toEqual({ bootstrapServers: ['localhost:9092'], groupId: 'gamelan-engine' });
  });

  it('reads dotted YAML keys and the spec spelling consumer.fetch.min.bytes', () => {
    const config = parseConfig('gamelan.kafka.partitions: 10\ngamelan.kafka.consumer.fetch.min.bytes: 5\n', 'a.yaml');
    expect(config.gamelan.partitions).toBe(10);
    expect(config.gamelan.consumer.fetchMinBytes).toBe(5);
  });

  it('ignores keys that are not gamelan.kafka.*', () => {
    expect(parseConfig('quarkus.http.port=8080\ngamelan.kafka.partitions=6\n', 'a.properties').gamelan.partitions).toBe(
      6,
    );
  });

  it('lists every key of the spec as known', () => {
    for (const key of [
      'tasks.topic',
      'dlq.max-retries',
      'replication-factor',
      'consumer.session-timeout-ms',
      'producer.batch-size',
    ]) {
      expect(KNOWN_KEYS).toContain(key);
    }
  });
});

describe('bad input names the file, key, value and what is allowed', () => {
  it('unknown key with a suggestion', () => {
    const p = file('typo.properties', 'gamelan.kafka.partitons=3\n');
    const error = errorOf(() => readConfig(p));
    expect(error.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(error.message).toContain(`${p}:1`);
    expect(error.message).toContain('"gamelan.kafka.partitons"');
    expect(error.message).toContain('did you mean "gamelan.kafka.partitions"');
    expect(error.details).toMatchObject({ key: 'gamelan.kafka.partitons', value: '3' });
  });

  it('unknown nested YAML key with a suggestion', () => {
    const error = errorOf(() =>
      parseConfig('gamelan:\n  kafka:\n    consumer:\n      max-pol-records: 5\n', 'app.yaml'),
    );
    expect(error.message).toContain('did you mean "gamelan.kafka.consumer.max-poll-records"');
  });

  it.each([
    ['gamelan.kafka.partitions=0', 'gamelan.kafka.partitions', '"0"', 'must be ≥ 1'],
    ['gamelan.kafka.partitions=-2', 'gamelan.kafka.partitions', '"-2"', 'must be ≥ 1'],
    ['gamelan.kafka.partitions=three', 'gamelan.kafka.partitions', '"three"', 'expected number'],
    ['gamelan.kafka.producer.acks=two', 'gamelan.kafka.producer.acks', '"two"', '"all"'],
    ['gamelan.kafka.tasks.topic=bad topic!', 'gamelan.kafka.tasks.topic', '"bad topic!"', 'Kafka topic name rules'],
    ['gamelan.kafka.dlq.enabled=maybe', 'gamelan.kafka.dlq.enabled', '"maybe"', ''],
    // A positive() bound is exclusive: 0 is refused, so it must not read "≥ 0".
    ['gamelan.kafka.retention-days=0', 'gamelan.kafka.retention-days', '"0"', 'must be > 0'],
    ['gamelan.kafka.consumer.group-id=', 'gamelan.kafka.consumer.group-id', '""', 'empty value'],
  ])('%s', (line, key, value, allowed) => {
    const p = file('bad.properties', `${line}\n`);
    const error = errorOf(() => readConfig(p));
    expect(error.code).toBe('CONFIG_INVALID_VALUE');
    expect(error.message).toContain(p);
    expect(error.message).toContain(`${key} = ${value} is not allowed`);
    expect(error.message).toContain(allowed);
    expect(error.details.key).toBe(key);
  });

  it('malformed properties: a gamelan key without a value', () => {
    const p = file('novalue.properties', '# ok\ngamelan.kafka.partitions\n');
    const error = errorOf(() => readConfig(p));
    expect(error.code).toBe('CONFIG_PARSE_FAILED');
    expect(error.message).toContain(`${p}:2`);
    expect(error.message).toContain('expected "key=value"');
  });

  it('malformed properties: a broken unicode escape', () => {
    const error = errorOf(() => readConfig(file('escape.properties', 'gamelan.kafka.tasks.topic=a\\uZZ\n')));
    expect(error.code).toBe('CONFIG_PARSE_FAILED');
    expect(error.message).toContain('four hex digits');
  });

  it('malformed YAML with line and column', () => {
    const p = file('bad.yaml', 'gamelan:\n  kafka:\n    partitions: [3\n');
    const error = errorOf(() => readConfig(p));
    expect(error.code).toBe('CONFIG_PARSE_FAILED');
    expect(error.message).toMatch(new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: malformed YAML`));
  });

  it('a YAML document that is not a mapping', () => {
    expect(errorOf(() => parseConfig('- 1\n- 2\n', 'list.yaml')).code).toBe('CONFIG_PARSE_FAILED');
  });

  it('a missing file and an unsupported extension', () => {
    expect(errorOf(() => readConfig(path.join(dir, 'nope.properties'))).code).toBe('CONFIG_FILE_NOT_FOUND');
    expect(errorOf(() => readConfig(file('app.toml', 'x=1'))).message).toContain('allowed: .properties, .yaml, .yml');
  });
});

import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, parseConfig, topicNames } from '../../../harness/config/index.js';
import { configErrorOf, scratchFiles } from '../../support/config-files.js';

// application.yaml / .yml as a Gamelan runtime writes it (quarkus-config-yaml): quoted "%<profile>" keys chosen by
// the active profile (the same choice as for .properties: dev unless --profile / { profile } says otherwise),
// ${VAR:default}, MicroProfile channel keys, and SmallRye's YAML rules (`~` keys, sequences as lists).
const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/config');
const runtimeYaml = path.join(fixtures, 'gamelan-runtime.yaml');
const runtimeProperties = path.join(fixtures, 'gamelan-runtime.properties');
const { dir, file } = scratchFiles('gamelan-yaml-test-');
const errorOf = configErrorOf;

describe('a Gamelan runtime application.yaml means what its application.properties means', () => {
  it.each([
    ['dev', {}],
    ['test', {}],
    ['prod', { KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,k2:9092', STATUS_TOPIC: 'acme.status', EXECUTOR_GROUP: 'payments' }],
    ['staging', { EXECUTOR_GROUP: 'payments' }],
  ])('profile %s', (profile, env) => {
    const yaml = readConfig(runtimeYaml, { env, profile, dialect: 'upstream' });
    const properties = readConfig(runtimeProperties, { env, profile, dialect: 'upstream' });
    expect(yaml.gamelan).toEqual(properties.gamelan);
    expect(yaml.kafka).toEqual(properties.kafka);
    expect(yaml.topicSources).toEqual(properties.topicSources);
    expect(yaml.profile).toBe(profile);
  });

  it('dev by default: the "%dev" keys apply and name the tasks topic', () => {
    const config = readConfig(runtimeYaml, { env: {}, dialect: 'upstream' });
    expect(topicNames(config.gamelan)).toMatchObject({
      tasks: 'dev.workflow-tasks',
      status: 'workflow-status',
      events: 'workflow-events',
    });
    expect(config.topicSources.tasks).toBe('%dev.mp.messaging.outgoing.workflow-tasks.topic');
    expect(config.kafka).toMatchObject({
      bootstrapServers: ['localhost:9092'],
      groupIds: { tasks: 'gamelan-executors', results: 'gamelan-workflow-engine' },
    });
  });

  it('"%test" and "%prod" apply only under their profile; prod needs KAFKA_BOOTSTRAP_SERVERS (named with its line)', () => {
    expect(topicNames(readConfig(runtimeYaml, { env: {}, profile: 'test' }).gamelan).events).toBe(
      'test.workflow-events',
    );
    expect(topicNames(readConfig(runtimeYaml, { env: {}, profile: 'dev' }).gamelan).events).toBe(
      'gamelan.workflow-events',
    );
    const error = errorOf(() => readConfig(runtimeYaml, { env: {}, profile: 'prod' }));
    expect(error).toMatchObject({
      code: 'CONFIG_VARIABLE_UNRESOLVED',
      details: { file: runtimeYaml, key: '%prod.kafka.bootstrap.servers', value: 'KAFKA_BOOTSTRAP_SERVERS' },
    });
    expect(error.message).toMatch(
      /gamelan-runtime\.yaml:43: %prod\.kafka\.bootstrap\.servers = "\$\{KAFKA_BOOTSTRAP_SERVERS\}" uses \$\{KAFKA_BOOTSTRAP_SERVERS\}/,
    );
  });

  it('.yml is read the same way', () => {
    const yml = path.join(dir, 'application.yml');
    copyFileSync(runtimeYaml, yml);
    expect(readConfig(yml, { env: {}, dialect: 'upstream' }).topicSources).toEqual(
      readConfig(runtimeYaml, { env: {}, dialect: 'upstream' }).topicSources,
    );
  });
});

describe('profiles in YAML', () => {
  const text = [
    'gamelan:',
    '  kafka:',
    '    partitions: 3',
    '"%dev":',
    '  gamelan.kafka.partitions: 1',
    '"%prod,staging":',
    '  gamelan:',
    '    kafka:',
    '      partitions: 12',
    '',
  ].join('\n');
  it('the profiled key wins wherever it is written; a list "%a,b" applies to each; other profiles are ignored', () => {
    expect(parseConfig(text, 'a.yaml').gamelan.partitions).toBe(1);
    expect(parseConfig(text, 'a.yaml', { profile: 'prod' }).gamelan.partitions).toBe(12);
    expect(parseConfig(text, 'a.yaml', { profile: 'staging' }).gamelan.partitions).toBe(12);
    expect(parseConfig(text, 'a.yaml', { profile: 'test' }).gamelan.partitions).toBe(3);
    expect(
      parseConfig(`'%dev':\n  gamelan: {kafka: {partitions: 2}}\ngamelan.kafka.partitions: 3\n`, 'a.yaml').gamelan
        .partitions,
    ).toBe(2);
  });

  it('an unquoted %dev key is malformed YAML, with the fix', () => {
    const p = file(
      'unquoted.yaml',
      'gamelan:\n  kafka:\n    partitions: 3\n%dev:\n  gamelan:\n    kafka:\n      partitions: 1\n',
    );
    const error = errorOf(() => readConfig(p));
    expect(error.code).toBe('CONFIG_PARSE_FAILED');
    expect(error.message).toContain(`${p}:`);
    expect(error.message).toContain('A profile key must be quoted in YAML: write "%dev": instead of %dev:.');
    expect(error.details).toMatchObject({ file: p, key: '%dev' });
  });

  it('a bad value under a profile names the file, the key as written, the value, what is allowed and the line', () => {
    const p = file(
      'bad-value.yaml',
      'gamelan:\n  kafka:\n    partitions: 3\n"%dev":\n  gamelan:\n    kafka:\n      partitions: 0\n',
    );
    const error = errorOf(() => readConfig(p));
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      details: { file: p, key: 'gamelan.kafka.partitions', value: '0' },
    });
    expect(error.message).toBe(
      `${p}: invalid configuration:\n  %dev.gamelan.kafka.partitions = "0" is not allowed: must be ≥ 1 (line 7)`,
    );
    const enumError = errorOf(() =>
      parseConfig('"%dev":\n  gamelan:\n    kafka:\n      producer:\n        compression-type: brotli\n', 'app.yaml'),
    );
    expect(enumError.message).toMatch(
      /%dev\.gamelan\.kafka\.producer\.compression-type = "brotli" is not allowed: allowed values are "none", "gzip", "snappy", "lz4", "zstd" \(line 5\)/,
    );
  });

  it('an unknown key under a profile names the key as written and its line, with a suggestion', () => {
    const error = errorOf(() => parseConfig('"%dev":\n  gamelan:\n    kafka:\n      partitons: 1\n', 'app.yaml'));
    expect(error).toMatchObject({
      code: 'CONFIG_UNKNOWN_KEY',
      details: { file: 'app.yaml', key: '%dev.gamelan.kafka.partitons' },
    });
    expect(error.message).toMatch(
      /^app\.yaml:4: unknown key "%dev\.gamelan\.kafka\.partitons" — did you mean "gamelan\.kafka\.partitions"\?/,
    );
  });
});

describe("SmallRye's YAML rules", () => {
  it('a sequence of scalars is one comma-separated value (bootstrap servers as a list)', () => {
    const config = parseConfig(
      'kafka:\n  bootstrap:\n    servers:\n      - 127.0.0.1:9092\n      - 127.0.0.1:9093\n',
      'a.yaml',
    );
    expect(config.kafka.bootstrapServers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(parseConfig('kafka.bootstrap.servers: [127.0.0.1:9092]\n', 'a.yaml').kafka.bootstrapServers).toEqual([
      '127.0.0.1:9092',
    ]);
  });

  it('every scalar is read as its text: a numeric group id, numbers and booleans in gamelan keys', () => {
    const config = parseConfig(
      'kafka:\n  group:\n    id: 42\nmp.messaging.incoming.workflow-results.group.id: 7\ngamelan:\n  kafka:\n    partitions: 6\n    dlq:\n      enabled: false\n',
      'a.yaml',
    );
    expect(config.kafka.groupId).toBe('42');
    expect(config.kafka.groupIds).toEqual({ results: '7' });
    expect(config.gamelan.partitions).toBe(6);
    expect(config.gamelan.dlq.enabled).toBe(false);
  });

  it('a ~ key is the value of its parent key, and its children are keys of their own', () => {
    const config = parseConfig(
      'kafka:\n  task:\n    topic:\n      ~: workflow.tasks\n      other: ignored\n',
      'a.yaml',
      { dialect: 'upstream' },
    );
    expect(config.gamelan.tasks.topic).toBe('workflow.tasks');
    expect(config.topicSources.tasks).toBe('kafka.task.topic');
  });

  it('aliases are followed', () => {
    const config = parseConfig(
      'topics:\n  tasks: &tasks acme.tasks\nmp.messaging.incoming.workflow-tasks.topic: *tasks\n',
      'a.yaml',
    );
    expect(config.gamelan.tasks.topic).toBe('acme.tasks');
  });

  it('an empty value is an error as in .properties, not a silent default', () => {
    const error = errorOf(() => parseConfig('gamelan:\n  kafka:\n    consumer:\n      group-id:\n', 'app.yaml'));
    expect(error.message).toMatch(
      /gamelan\.kafka\.consumer\.group-id = "" is not allowed: empty value: give a value \(line 4\)/,
    );
  });

  it('an empty document is the defaults; a document that is not a mapping is refused', () => {
    expect(parseConfig('# nothing\n', 'a.yaml').gamelan.partitions).toBe(3);
    expect(errorOf(() => parseConfig('just text\n', 'a.yaml')).message).toMatch(/must be a mapping of keys/);
  });
});

it('a bad value in .properties names its line too', () => {
  const error = errorOf(() => parseConfig('a=1\ngamelan.kafka.partitions=0\n', 'app.properties'));
  expect(error.message).toBe(
    'app.properties: invalid configuration:\n  gamelan.kafka.partitions = "0" is not allowed: must be ≥ 1 (line 2)',
  );
});

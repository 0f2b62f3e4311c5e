import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, parseConfig, topicNames } from '../../../harness/config/index.js';
import { environmentNameOf, expandVariables } from '../../../harness/config/quarkus.js';
import { ConfigError } from '../../../harness/errors.js';

// Configuration as Quarkus reads it: profiles, ${VAR:default}, MicroProfile channel keys; and the precedence
// of the keys that can name a topic.
const runtime = path.resolve(import.meta.dirname, '../../../fixtures/config/gamelan-runtime.properties');
const never = (name: string): never => {
  throw new Error(`missing ${name}`);
};

describe('${VAR} and ${VAR:default}', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x'],
    ['${A:dflt}', {}, 'dflt'],
    ['${A:localhost:9092}', {}, 'localhost:9092'],
    ['${A:${B:inner}}', {}, 'inner'],
    ['${A:${B:inner}}', { B: 'b' }, 'b'],
    ['pre-${A}-post', { A: 'x' }, 'pre-x-post'],
    ['${A:}', {}, ''],
    ['no variables', {}, 'no variables'],
    ['unclosed ${A', {}, 'unclosed ${A'],
  ])('%s with %o → %s', (text, env, expected) => {
    expect(expandVariables(text, env, never)).toBe(expected);
  });

  it('an unresolvable ${VAR} without default is CONFIG_VARIABLE_UNRESOLVED naming file, key and variable', () => {
    let error: unknown;
    try {
      parseConfig('a=1\nkafka.bootstrap.servers=${NOPE_BOOTSTRAP}\n', 'app.properties', { env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      code: 'CONFIG_VARIABLE_UNRESOLVED',
      details: { file: 'app.properties', key: 'kafka.bootstrap.servers', value: 'NOPE_BOOTSTRAP' },
    });
    expect((error as Error).message).toMatch(
      /^app\.properties:2: kafka\.bootstrap\.servers = "\$\{NOPE_BOOTSTRAP\}" uses \$\{NOPE_BOOTSTRAP\}/,
    );
  });

  it('an unresolvable ${VAR} in a key the harness does not read is left alone (Quarkus expands lazily)', () => {
    expect(() => parseConfig('quarkus.datasource.password=${SECRET}\n', 'app.properties', { env: {} })).not.toThrow();
  });

  it('expands gamelan.kafka.* values too', () => {
    expect(parseConfig('gamelan.kafka.partitions=${PARTS:6}\n', 'a.properties', { env: {} }).gamelan.partitions).toBe(
      6,
    );
    expect(
      parseConfig('gamelan.kafka.partitions=${PARTS:6}\n', 'a.properties', { env: { PARTS: '2' } }).gamelan.partitions,
    ).toBe(2);
  });
});

describe('profiles', () => {
  const text =
    'gamelan.kafka.partitions=3\n%dev.gamelan.kafka.partitions=1\n%prod,staging.gamelan.kafka.partitions=12\n';
  it('dev by default, as Quarkus for local runs; the profiled key wins wherever it is written', () => {
    expect(parseConfig(text, 'a.properties').gamelan.partitions).toBe(1);
    expect(
      parseConfig(`%dev.gamelan.kafka.partitions=1\ngamelan.kafka.partitions=3\n`, 'a.properties').gamelan.partitions,
    ).toBe(1);
    expect(parseConfig(text, 'a.properties').profile).toBe('dev');
  });
  it('--profile picks another; a list %a,b. applies to each; other profiles are ignored', () => {
    expect(parseConfig(text, 'a.properties', { profile: 'prod' }).gamelan.partitions).toBe(12);
    expect(parseConfig(text, 'a.properties', { profile: 'staging' }).gamelan.partitions).toBe(12);
    expect(parseConfig(text, 'a.properties', { profile: 'test' }).gamelan.partitions).toBe(3);
  });
  it('works in YAML ("%dev": {…})', () => {
    expect(
      parseConfig(
        'gamelan:\n  kafka:\n    partitions: 3\n"%dev":\n  gamelan:\n    kafka:\n      partitions: 2\n',
        'a.yaml',
      ).gamelan.partitions,
    ).toBe(2);
  });
  it('an unknown gamelan key under a profile is still an error naming the key as written', () => {
    expect(() => parseConfig('%dev.gamelan.kafka.partitons=1\n', 'a.properties')).toThrow(
      /unknown key "%dev\.gamelan\.kafka\.partitons"/,
    );
  });
});

describe('topic names: gamelan.kafka.<role>.topic > mp.messaging.*.<channel>.topic > kafka.task.topic > the dialect default', () => {
  it('reads a real Gamelan runtime file (dev profile)', () => {
    const config = readConfig(runtime, { env: {}, dialect: 'upstream' });
    expect(topicNames(config.gamelan)).toEqual({
      tasks: 'dev.workflow-tasks',
      results: 'workflow-results',
      events: 'workflow-events',
      status: 'workflow-status',
      dlq: 'workflow-dlq',
    });
    expect(config.topicSources).toMatchObject({
      tasks: '%dev.mp.messaging.outgoing.workflow-tasks.topic',
      results: 'default (upstream)',
      status: 'mp.messaging.outgoing.workflow-status.topic',
    });
    expect(config.kafka).toMatchObject({
      bootstrapServers: ['localhost:9092'],
      groupIds: { tasks: 'gamelan-executors', results: 'gamelan-workflow-engine' },
    });
    expect(config.gamelan.consumer.groupId).toBe('gamelan-executors');
  });

  it('the environment fills ${…}; the prod profile needs KAFKA_BOOTSTRAP_SERVERS', () => {
    const config = readConfig(runtime, {
      env: { KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,k2:9092', STATUS_TOPIC: 'acme.status', EXECUTOR_GROUP: 'payments' },
      profile: 'prod',
      dialect: 'upstream',
    });
    expect(config.kafka.bootstrapServers).toEqual(['k1:9092', 'k2:9092']);
    expect(topicNames(config.gamelan)).toMatchObject({ tasks: 'workflow.tasks', status: 'acme.status' });
    expect(config.gamelan.consumer.groupId).toBe('payments');
    expect(() => readConfig(runtime, { env: {}, profile: 'prod' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_VARIABLE_UNRESOLVED' }),
    );
  });

  it('kafka.task.topic names the tasks topic when no channel does; the spec dialect keeps the README names elsewhere', () => {
    const config = readConfig(runtime, { env: {}, profile: 'prod-like-none' });
    expect(topicNames(config.gamelan)).toMatchObject({
      tasks: 'workflow.tasks',
      results: 'gamelan.task-results',
      status: 'workflow-status',
    });
  });

  it('gamelan.kafka.<role>.topic wins over the channel keys', () => {
    const text =
      'mp.messaging.incoming.workflow-results.topic=from-channel\ngamelan.kafka.results.topic=from-gamelan\n';
    const config = parseConfig(text, 'a.properties');
    expect(config.gamelan.results.topic).toBe('from-gamelan');
    expect(config.topicSources.results).toBe('gamelan.kafka.results.topic');
  });

  it("the README's channel names count too (task-results, status-updates, dead-letter-queue)", () => {
    const config = parseConfig(
      'mp.messaging.incoming.task-results.topic=r\nmp.messaging.outgoing.status-updates.topic=s\nmp.messaging.incoming.dead-letter-queue.topic=d\n',
      'a.properties',
    );
    expect(topicNames(config.gamelan)).toMatchObject({ results: 'r', status: 's', dlq: 'd' });
  });

  it('two channel keys naming different topics for one role is an error naming both', () => {
    const text = 'mp.messaging.incoming.workflow-tasks.topic=a\nmp.messaging.outgoing.workflow-tasks.topic=b\n';
    expect(() => parseConfig(text, 'a.properties')).toThrow(
      /mp\.messaging\.incoming\.workflow-tasks\.topic = "a", mp\.messaging\.outgoing\.workflow-tasks\.topic = "b"/,
    );
  });

  it('a bad topic name from a channel key is reported under that key', () => {
    expect(() => parseConfig('mp.messaging.incoming.workflow-tasks.topic=bad name\n', 'a.properties')).toThrow(
      /mp\.messaging\.incoming\.workflow-tasks\.topic = "bad name" is not allowed/,
    );
  });

  it('with no file: the dialect defaults', () => {
    expect(topicNames(readConfig(undefined, { dialect: 'upstream' }).gamelan).tasks).toBe('workflow-tasks');
    expect(topicNames(readConfig().gamelan).tasks).toBe('gamelan.workflow-tasks');
  });
});

it('MicroProfile environment names', () => {
  expect(environmentNameOf('mp.messaging.incoming.workflow-tasks.topic')).toBe(
    'MP_MESSAGING_INCOMING_WORKFLOW_TASKS_TOPIC',
  );
  expect(environmentNameOf('kafka.bootstrap.servers')).toBe('KAFKA_BOOTSTRAP_SERVERS');
});

it('the MicroProfile environment of the Java channels, for a Quarkus service started against harness topics', async () => {
  const { microProfileEnvironment } = await import('../../../harness/config/quarkus.js');
  const env = microProfileEnvironment({
    bootstrapServers: ['127.0.0.1:1', '127.0.0.1:2'],
    topics: { tasks: 't', results: 'r', events: 'e', status: 's', dlq: 'd' },
    groupId: 'g',
  });
  expect(env).toMatchObject({
    KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1,127.0.0.1:2',
    MP_MESSAGING_INCOMING_WORKFLOW_TASKS_TOPIC: 't',
    MP_MESSAGING_INCOMING_WORKFLOW_TASKS_GROUP_ID: 'g',
    MP_MESSAGING_OUTGOING_WORKFLOW_RESULTS_TOPIC: 'r',
    MP_MESSAGING_OUTGOING_WORKFLOW_EVENTS_TOPIC: 'e',
    MP_MESSAGING_OUTGOING_WORKFLOW_STATUS_TOPIC: 's',
    MP_MESSAGING_INCOMING_WORKFLOW_DLQ_TOPIC: 'd',
  });
});

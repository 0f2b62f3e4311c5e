import { afterAll, describe, expect, it } from 'vitest';
import { BrokerError } from '../../../harness/errors.js';
import {
  ComposeBrokerProvider,
  ContainerBrokerProvider,
  diagnose,
  explainAuto,
  LOCAL_KAFKA_IMAGE,
  NativeBrokerProvider,
  OFFICIAL_KAFKA_IMAGE,
  resolveProvider,
} from '../../../harness/brokers/index.js';
import { chooseKafkaImage } from '../../../harness/brokers/docker.js';
import { answeringDocker, cleanupFakes, fakeJavaHome, tempDir } from './fakes.js';

const noTools = { PATH: '/nonexistent' };

describe('auto provider selection', () => {
  it('picks external when GAMELAN_KAFKA_BOOTSTRAP_SERVERS is set', async () => {
    const choice = await explainAuto({ env: { ...noTools, GAMELAN_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092, k2:9092' } });
    expect(choice.kind).toBe('external');
    expect(choice.reason).toContain('GAMELAN_KAFKA_BOOTSTRAP_SERVERS');
    expect((await resolveProvider('auto', { env: { ...noTools, KAFKA_BOOTSTRAP_SERVERS: 'k:9092' } })).kind).toBe(
      'external',
    );
  });

  // Which variable wins and how values parse: test/unit/config/bootstrap.test.ts.
  it('names the variable when the bootstrap servers it holds are malformed', async () => {
    await expect(
      explainAuto({ env: { ...noTools, GAMELAN_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,,k2:9092' } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      message: expect.stringMatching(
        /^GAMELAN_KAFKA_BOOTSTRAP_SERVERS = "k1:9092,,k2:9092" is not valid: it has an empty entry/,
      ),
    });
  });

  it('passes over an answering Docker engine without a Kafka image, saying how to get one, then takes native', async () => {
    const env = { PATH: answeringDocker(), JAVA_HOME: fakeJavaHome('openjdk version "17.0.15" 2025-04-15') };
    const choice = await explainAuto({ env });
    expect(choice.kind).toBe('native');
    expect(choice.reason).toMatch(/Java 17\.0\.15/);
    expect(choice.skipped.find((s) => s.kind === 'container')?.reason).toMatch(
      /answers, but no Kafka image present: .*scripts\/build-kafka-image\.sh/,
    );
  });

  it('takes the container provider when an engine answers and a Kafka image is present, preferring the official pin', async () => {
    const local = await explainAuto({ env: { PATH: answeringDocker([LOCAL_KAFKA_IMAGE]) } });
    expect(local).toMatchObject({ kind: 'container' });
    expect(local.reason).toContain(LOCAL_KAFKA_IMAGE);
    const both = await explainAuto({ env: { PATH: answeringDocker([LOCAL_KAFKA_IMAGE, OFFICIAL_KAFKA_IMAGE]) } });
    expect(both.reason).toContain(OFFICIAL_KAFKA_IMAGE);
  });

  it('honours GAMELAN_KAFKA_IMAGE and --image, and says when that image is missing (nothing is pulled)', async () => {
    const path = answeringDocker([LOCAL_KAFKA_IMAGE]);
    expect(await chooseKafkaImage('my/kafka:1', { PATH: path })).toEqual({
      image: undefined,
      reason: expect.stringMatching(/my\/kafka:1 is not present locally.*docker pull/),
    });
    expect((await chooseKafkaImage(undefined, { PATH: path, GAMELAN_KAFKA_IMAGE: LOCAL_KAFKA_IMAGE })).image).toBe(
      LOCAL_KAFKA_IMAGE,
    );
  });

  it('takes native when no Docker engine answers and Java 17+ is found', async () => {
    const choice = await explainAuto({
      env: { PATH: '/nonexistent', JAVA_HOME: fakeJavaHome('openjdk version "21" 2023-09-19') },
    });
    expect(choice.kind).toBe('native');
    expect(choice.skipped.map((s) => s.kind)).toEqual(['external', 'container']);
  });

  it('fails with PROVIDER_UNAVAILABLE saying what to install when nothing can run', async () => {
    const error = await resolveProvider('auto', { env: noTools }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/JDK 17\+/);
    expect((error as Error).message).toMatch(/GAMELAN_KAFKA_BOOTSTRAP_SERVERS/);
  });

  it('returns explicit kinds as asked; container and compose refuse to start without an engine, saying why', async () => {
    expect((await resolveProvider('native', { env: noTools })).kind).toBe('native');
    const container = await resolveProvider('container', { env: noTools });
    await expect(container.start()).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringMatching(/docker CLI not found|no Docker engine/),
    });
    const compose = await resolveProvider('compose', { env: noTools });
    expect(compose.kind).toBe('compose');
    await expect(compose.start()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('refuses broker counts the providers cannot run before touching Docker', async () => {
    await expect(new ContainerBrokerProvider({ env: noTools }).start({ brokers: 9 })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      message: expect.stringMatching(/from 1 to 5/),
    });
    await expect(new NativeBrokerProvider({ env: noTools }).start({ brokers: 6 })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      message: expect.stringMatching(/from 1 to 5/),
    });
    await expect(new ComposeBrokerProvider({ env: noTools }).start({ brokers: 2 })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      message: expect.stringMatching(/1 broker or 3/),
    });
    await expect(new ContainerBrokerProvider({ env: noTools }).start({ dataDir: '/tmp/x' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
    });
  });

  it('diagnose reports the engine, the Kafka images present and the image the container provider would run', async () => {
    const d = await diagnose({ env: { PATH: answeringDocker([LOCAL_KAFKA_IMAGE]) } });
    expect(d.docker).toMatchObject({
      answering: true,
      kafkaImages: [LOCAL_KAFKA_IMAGE],
      image: { name: LOCAL_KAFKA_IMAGE },
      ryukImage: false,
    });
    expect(d.docker.detail).toMatch(/Kafka images: gamelan\/kafka-kraft:4\.1\.1/);
    expect(d.auto.kind).toBe('container');
    const none = await diagnose({ env: noTools });
    expect(none.docker).toMatchObject({ answering: false, kafkaImages: [] });
  });
});

afterAll(cleanupFakes);

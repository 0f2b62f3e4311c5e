import { afterAll, describe, expect, it } from 'vitest';
import { BrokerError } from '../../../harness/errors.js';
import { bootstrapServersFromEnv, explainAuto, parseBootstrapServers, resolveProvider } from '../../../harness/brokers/index.js';
import { answeringDocker, cleanupFakes, fakeJavaHome, tempDir } from './fakes.js';

const noTools = { PATH: '/nonexistent' };

describe('auto provider selection', () => {
  it('picks external when GAMELAN_KAFKA_BOOTSTRAP_SERVERS is set', async () => {
    const choice = await explainAuto({ env: { ...noTools, GAMELAN_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092, k2:9092' } });
    expect(choice.kind).toBe('external');
    expect(choice.reason).toContain('GAMELAN_KAFKA_BOOTSTRAP_SERVERS');
    expect((await resolveProvider('auto', { env: { ...noTools, KAFKA_BOOTSTRAP_SERVERS: 'k:9092' } })).kind).toBe('external');
  });

  it('prefers GAMELAN_KAFKA_BOOTSTRAP_SERVERS over KAFKA_BOOTSTRAP_SERVERS', () => {
    expect(bootstrapServersFromEnv({ KAFKA_BOOTSTRAP_SERVERS: 'b:1', GAMELAN_KAFKA_BOOTSTRAP_SERVERS: 'a:1' })).toEqual({
      servers: ['a:1'],
      variable: 'GAMELAN_KAFKA_BOOTSTRAP_SERVERS',
    });
    expect(parseBootstrapServers('PLAINTEXT://h:1, ,h2:2')).toEqual(['h:1', 'h2:2']);
  });

  it('passes over an answering Docker engine while the container provider is a placeholder, then takes native', async () => {
    const env = { PATH: answeringDocker(), JAVA_HOME: fakeJavaHome('openjdk version "17.0.15" 2025-04-15') };
    const choice = await explainAuto({ env });
    expect(choice.kind).toBe('native');
    expect(choice.reason).toMatch(/Java 17\.0\.15/);
    expect(choice.skipped.find((s) => s.kind === 'container')?.reason).toMatch(/answers, but the container provider is not implemented yet/);
  });

  it('takes native when no Docker engine answers and Java 17+ is found', async () => {
    const choice = await explainAuto({ env: { PATH: '/nonexistent', JAVA_HOME: fakeJavaHome('openjdk version "21" 2023-09-19') } });
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

  it('returns explicit kinds as asked; the container placeholder refuses to start', async () => {
    expect((await resolveProvider('native', { env: noTools })).kind).toBe('native');
    const container = await resolveProvider('container', { env: noTools });
    await expect(container.start()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });
});

afterAll(cleanupFakes);

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { harnessCacheDir, pruneLogRuns } from '../../../harness/kafka-distribution/cache.js';
import {
  cachedKafkaVersions,
  DEFAULT_KAFKA_VERSION,
  JARS_MARKER,
  kafkaHomeProblem,
  kafkaPom,
  kafkaVersion,
  resolveKafkaJars,
} from '../../../harness/kafka-distribution/jars.js';
import { cleanupFakes, fakeMaven, tempDir } from '../brokers/fakes.js';

describe('Kafka jars', () => {
  it('pins 4.1.1, overridable by option then GAMELAN_KAFKA_VERSION', () => {
    expect(DEFAULT_KAFKA_VERSION).toBe('4.1.1');
    expect(kafkaVersion(undefined, {})).toBe('4.1.1');
    expect(kafkaVersion(undefined, { GAMELAN_KAFKA_VERSION: '4.0.0' })).toBe('4.0.0');
    expect(kafkaVersion('4.1.0', { GAMELAN_KAFKA_VERSION: '4.0.0' })).toBe('4.1.0');
  });

  it.each([['../../../tmp/x'], ['4.1'], ['4.1.1-SNAPSHOT'], ['https://example.com/4.1.1'], [''], ['4.1.1\n']])(
    'refuses %j as a version (it names a cache folder and a Maven artifact): CONFIG_INVALID_VALUE naming where it came from',
    (bad) => {
      expect(() => kafkaVersion(bad, {})).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID_VALUE',
          message: expect.stringContaining('use an Apache Kafka release as major.minor.patch'),
        }),
      );
      expect(() => kafkaVersion(undefined, { GAMELAN_KAFKA_VERSION: bad })).toThrow(/^GAMELAN_KAFKA_VERSION = /);
    },
  );

  it('refuses a malformed version before Maven runs or a folder is made', async () => {
    const cache = tempDir('cache');
    const mvn = fakeMaven('ok');
    await expect(
      resolveKafkaJars({
        version: '../escape',
        env: { GAMELAN_HARNESS_CACHE: cache, PATH: `${mvn.path}:/usr/bin:/bin` },
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID_VALUE' });
    expect(existsSync(mvn.calls) ? readFileSync(mvn.calls, 'utf8') : '').toBe('');
    expect(readdirSync(cache)).toEqual([]);
  });

  it('asks Maven for the broker, the tools and a log4j2 backend for slf4j 1.7', () => {
    const pom = kafkaPom('4.1.1');
    for (const artifact of [
      'kafka_2.13</artifactId><version>4.1.1',
      'kafka-tools</artifactId><version>4.1.1',
      'log4j-slf4j-impl',
      'log4j-core',
    ]) {
      expect(pom).toContain(artifact);
    }
    expect(pom).not.toContain('slf4j2-impl');
  });

  it('downloads once, marks completion, and the second resolve makes no mvn call', async () => {
    const cache = tempDir('cache');
    const mvn = fakeMaven('ok');
    const env = { GAMELAN_HARNESS_CACHE: cache, PATH: `${mvn.path}:/usr/bin:/bin` };
    const first = await resolveKafkaJars({ version: '9.9.9', env });
    expect(first.source).toBe('maven');
    expect(first.jars).toEqual([join(cache, 'kafka-9.9.9', 'libs', 'kafka_2.13-x.jar')]);
    expect(existsSync(join(cache, 'kafka-9.9.9', JARS_MARKER))).toBe(true);
    const second = await resolveKafkaJars({ version: '9.9.9', env });
    expect(second.source).toBe('cache');
    expect(readFileSync(mvn.calls, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(cachedKafkaVersions(cache)).toEqual(['9.9.9']);
  });

  it('redoes an interrupted download (libs present, no marker)', async () => {
    const cache = tempDir('cache');
    mkdirSync(join(cache, 'kafka-9.9.9', 'libs'), { recursive: true });
    writeFileSync(join(cache, 'kafka-9.9.9', 'libs', 'half.jar'), '');
    const mvn = fakeMaven('ok');
    const jars = await resolveKafkaJars({
      version: '9.9.9',
      env: { GAMELAN_HARNESS_CACHE: cache, PATH: `${mvn.path}:/usr/bin:/bin` },
    });
    expect(jars.source).toBe('maven');
    expect(jars.jars.map((j) => j.split('/').pop())).toEqual(['kafka_2.13-x.jar']);
  });

  it('reports a failed download with KAFKA_JARS_UNAVAILABLE and the mvn output tail, leaving no marker', async () => {
    const cache = tempDir('cache');
    const mvn = fakeMaven('fail');
    const error = await resolveKafkaJars({
      version: '9.9.9',
      env: { GAMELAN_HARNESS_CACHE: cache, PATH: `${mvn.path}:/usr/bin:/bin` },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KAFKA_JARS_UNAVAILABLE', name: 'BrokerError' });
    expect((error as Error).message).toContain('Could not resolve dependencies');
    expect(existsSync(join(cache, 'kafka-9.9.9', JARS_MARKER))).toBe(false);
    expect(cachedKafkaVersions(cache)).toEqual([]);
    // An unknown version leaves no empty kafka-9.9.9 folder behind (issue #22).
    expect(existsSync(join(cache, 'kafka-9.9.9'))).toBe(false);
  });

  it('says to install Maven or set KAFKA_HOME when mvn is missing', async () => {
    const cache = tempDir('cache');
    await expect(
      resolveKafkaJars({ version: '9.9.9', env: { GAMELAN_HARNESS_CACHE: cache, PATH: '/nonexistent' } }),
    ).rejects.toMatchObject({
      code: 'KAFKA_JARS_UNAVAILABLE',
      message: expect.stringMatching(/Install Maven.*KAFKA_HOME/s),
    });
  });

  it('says why a KAFKA_HOME cannot serve the jars (doctor shows it instead of a tick)', () => {
    expect(kafkaHomeProblem('/nonexistent')).toBe('does not exist');
    const empty = tempDir('kafka-home-empty');
    expect(kafkaHomeProblem(empty)).toBe('has no libs/ directory (not an unpacked Kafka distribution)');
    mkdirSync(join(empty, 'libs'));
    expect(kafkaHomeProblem(empty)).toBe('has no jars in libs/');
    writeFileSync(join(empty, 'libs', 'kafka.jar'), '');
    expect(kafkaHomeProblem(empty)).toBeUndefined();
  });

  it('uses $KAFKA_HOME/libs without Maven', async () => {
    const home = tempDir('kafka-home');
    mkdirSync(join(home, 'libs'));
    writeFileSync(join(home, 'libs', 'b.jar'), '');
    writeFileSync(join(home, 'libs', 'a.jar'), '');
    const jars = await resolveKafkaJars({ version: '4.1.1', env: { KAFKA_HOME: home, PATH: '/nonexistent' } });
    expect(jars).toEqual({
      version: '4.1.1',
      source: 'KAFKA_HOME',
      jars: [join(home, 'libs', 'a.jar'), join(home, 'libs', 'b.jar')],
    });
  });
});

describe('cache dir', () => {
  it('is GAMELAN_HARNESS_CACHE, else XDG_CACHE_HOME/gamelan-kafka-harness, else ~/.cache/…', () => {
    expect(harnessCacheDir({ GAMELAN_HARNESS_CACHE: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(harnessCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/gamelan-kafka-harness');
    expect(harnessCacheDir({})).toMatch(/\.cache\/gamelan-kafka-harness$/);
  });

  it('keeps only the newest log runs', () => {
    const logs = tempDir('logs');
    for (let i = 10; i < 35; i++) mkdirSync(join(logs, `20260101T0000${i}-1-x`));
    pruneLogRuns(logs, 20);
    const left = readdirSync(logs).sort();
    expect(left).toHaveLength(20);
    expect(left[0]).toBe('20260101T000015-1-x');
  });
});

afterAll(cleanupFakes);

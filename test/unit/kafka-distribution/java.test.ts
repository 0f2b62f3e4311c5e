import { afterAll, describe, expect, it } from 'vitest';
import { BrokerError } from '../../../harness/errors.js';
import { findJava, parseJavaVersion } from '../../../harness/kafka-distribution/java.js';
import { cleanupFakes, fakeJavaHome, tempDir } from '../brokers/fakes.js';

describe('parseJavaVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', '17.0.15', 17],
    ['openjdk version "21" 2023-09-19', '21', 21],
    ['java version "1.8.0_392"', '1.8.0_392', 8],
    ['openjdk version "24-ea" 2025-03-18', '24-ea', 24],
    ['openjdk version "11.0.2" 2019-01-15', '11.0.2', 11],
  ])('%s → %s', (output, version, major) => {
    expect(parseJavaVersion(output)).toEqual({ version, major });
  });

  it('returns undefined for output without a version', () => {
    expect(parseJavaVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('findJava', () => {
  it('prefers JAVA_HOME', async () => {
    const home = fakeJavaHome('openjdk version "21.0.1" 2023-10-17');
    const java = await findJava({ JAVA_HOME: home, PATH: '' });
    expect(java).toMatchObject({ version: '21.0.1', major: 21, source: 'JAVA_HOME' });
  });

  it('rejects Java 11 with JAVA_NOT_FOUND saying what to install', async () => {
    const home = fakeJavaHome('openjdk version "11.0.2" 2019-01-15');
    const error = await findJava({ JAVA_HOME: home, PATH: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: 'JAVA_NOT_FOUND', name: 'BrokerError' });
    expect((error as Error).message).toMatch(/JDK 17\+/);
    expect((error as Error).message).toContain('11.0.2');
  });

  it('says JAVA_HOME is unset and java is not on PATH', async () => {
    const error = await findJava({ PATH: '/nonexistent' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JAVA_NOT_FOUND' });
    expect((error as Error).message).toMatch(/No java on PATH/);
  });
});

afterAll(cleanupFakes);

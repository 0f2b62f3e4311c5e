import { execFileSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BrokerError } from '../../../harness/errors.js';
import { findJava, findOnPath, parseJavaVersion, releaseVersion } from '../../../harness/kafka-distribution/java.js';
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

describe('the version from the JDK release file (no JVM started)', () => {
  it('reads JAVA_VERSION from <home>/release, through a symlinked java too, and findJava takes it without running java', async () => {
    // The fake java would print 11 if it were run: 21 proves the release file was read instead.
    const home = fakeJavaHome('openjdk version "11.0.2" 2019-01-15');
    writeFileSync(
      join(home, 'release'),
      'IMPLEMENTOR="Eclipse Adoptium"\nJAVA_VERSION="21.0.4"\nJAVA_VERSION_DATE="2024-07-16"\n',
    );
    expect(releaseVersion(join(home, 'bin', 'java'))).toEqual({ version: '21.0.4', major: 21 });
    const linkDir = tempDir('bin');
    symlinkSync(join(home, 'bin', 'java'), join(linkDir, 'java'));
    expect(await findJava({ PATH: linkDir })).toMatchObject({ version: '21.0.4', major: 21, source: 'PATH' });
  });

  it('asks `java -version` when there is no release file, or java is not <home>/bin/java (a wrapper script)', async () => {
    const home = fakeJavaHome('openjdk version "21.0.1" 2023-10-17');
    expect(releaseVersion(join(home, 'bin', 'java'))).toBeUndefined();
    expect(await findJava({ JAVA_HOME: home, PATH: '' })).toMatchObject({ version: '21.0.1' });
    const shims = tempDir('shims');
    writeFileSync(join(shims, 'release'), 'JAVA_VERSION="21.0.4"\n');
    writeFileSync(join(shims, 'java'), '#!/bin/sh\n');
    expect(releaseVersion(join(shims, 'java'))).toBeUndefined();
  });

  // Every JDK on this machine: the release file says what `java -version` says.
  const jdks = [
    findOnPath('java'),
    ...(() => {
      try {
        return readdirSync('/usr/lib/jvm').map((d) => join('/usr/lib/jvm', d, 'bin', 'java'));
      } catch {
        return [];
      }
    })(),
  ].filter((p): p is string => p !== undefined && releaseVersion(p) !== undefined);
  if (jdks.length === 0)
    console.warn('no JDK with a release file found here: the comparison with `java -version` is skipped');
  it.skipIf(jdks.length === 0).each(jdks)('%s: the release file agrees with java -version', (java) => {
    const banner = execFileSync('sh', ['-c', '"$0" -version 2>&1', java], { encoding: 'utf8' });
    expect(releaseVersion(java)).toEqual(parseJavaVersion(banner));
  });
});

afterAll(cleanupFakes);

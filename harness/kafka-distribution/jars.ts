import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKafkaVersion } from '../config/kafka-version.js';
import { BrokerError } from '../errors.js';
import { kafkaVersionDir, type Env } from './cache.js';
import { findOnPath } from './java.js';

/** The Kafka version the harness is tested with. Override with `kafkaVersion` or GAMELAN_KAFKA_VERSION. */
export const DEFAULT_KAFKA_VERSION = '4.1.1';
/** log4j2 backend for Kafka's slf4j 1.7 API (Kafka 4.1 brings slf4j-api 1.7.36, hence log4j-slf4j-impl, not slf4j2). */
export const LOG4J_VERSION = '2.25.3';
/** Written after a complete download only, so an interrupted one is redone. */
export const JARS_MARKER = '.complete';

export interface KafkaJars {
  readonly version: string;
  /** Absolute jar paths in a stable order (CDS needs the same class path on every start). */
  readonly jars: readonly string[];
  readonly source: 'KAFKA_HOME' | 'cache' | 'maven';
}

/** The version to run: `requested`, else GAMELAN_KAFKA_VERSION, else the default; a malformed one is a ConfigError. */
export function kafkaVersion(requested: string | undefined, env: Env = process.env): string {
  if (requested !== undefined) return parseKafkaVersion(requested, 'kafkaVersion');
  if (env.GAMELAN_KAFKA_VERSION !== undefined)
    return parseKafkaVersion(env.GAMELAN_KAFKA_VERSION, 'GAMELAN_KAFKA_VERSION');
  return DEFAULT_KAFKA_VERSION;
}

/** The pom whose runtime dependencies are the broker: kafka_2.13, kafka-tools, and a log4j2 backend. */
export function kafkaPom(version: string): string {
  const dependency = (groupId: string, artifactId: string, v: string) =>
    `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${v}</version></dependency>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>dev.gamelan.harness</groupId>',
    `  <artifactId>kafka-broker-jars</artifactId>`,
    `  <version>${version}</version>`,
    '  <packaging>pom</packaging>',
    '  <dependencies>',
    dependency('org.apache.kafka', 'kafka_2.13', version),
    dependency('org.apache.kafka', 'kafka-tools', version),
    dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION),
    dependency('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

export function listJars(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(dir, name));
}

/** Why KAFKA_HOME cannot serve the broker's jars (undefined: it has jars in libs/). */
export function kafkaHomeProblem(home: string): string | undefined {
  const libs = join(home, 'libs');
  if (!existsSync(home)) return 'does not exist';
  if (!existsSync(libs)) return 'has no libs/ directory (not an unpacked Kafka distribution)';
  try {
    return listJars(libs).length === 0 ? 'has no jars in libs/' : undefined;
  } catch (error) {
    return `libs/ cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/** Cached versions: `kafka-<v>` directories whose download completed. */
export function cachedKafkaVersions(cacheDir: string): string[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir)
    .filter((name) => name.startsWith('kafka-') && existsSync(join(cacheDir, name, JARS_MARKER)))
    .map((name) => name.slice('kafka-'.length))
    .sort();
}

/** Progress of a first-time download (a broker start reports it as its `resolve-jars` step). */
export interface JarsProgress {
  readonly step: 'resolve-jars';
  readonly state: 'start' | 'done' | 'fail';
  readonly message: string;
}

export interface ResolveJarsOptions {
  readonly version: string;
  readonly env?: Env;
  readonly onProgress?: (event: JarsProgress) => void;
  readonly signal?: AbortSignal;
}

/** The broker's class path: $KAFKA_HOME/libs, else the per-user cache, filled by `mvn` on first use. */
export async function resolveKafkaJars({
  version,
  env = process.env,
  onProgress,
  signal,
}: ResolveJarsOptions): Promise<KafkaJars> {
  parseKafkaVersion(version, 'version'); // it names a cache folder and a Maven artifact: never a path
  if (env.KAFKA_HOME) {
    const libs = join(env.KAFKA_HOME, 'libs');
    const jars = existsSync(libs) ? listJars(libs) : [];
    if (jars.length === 0) {
      throw new BrokerError(
        'KAFKA_JARS_UNAVAILABLE',
        `KAFKA_HOME=${env.KAFKA_HOME} has no jars in libs/. Point it at an unpacked Kafka distribution, or unset it to download Kafka ${version} with Maven.`,
      );
    }
    return { version, jars, source: 'KAFKA_HOME' };
  }

  const versionDir = kafkaVersionDir(version, env);
  const libs = join(versionDir, 'libs');
  if (existsSync(join(versionDir, JARS_MARKER))) return { version, jars: listJars(libs), source: 'cache' };

  const mvn = findOnPath('mvn', env);
  if (!mvn) {
    throw new BrokerError(
      'KAFKA_JARS_UNAVAILABLE',
      `Kafka ${version} is not cached in ${versionDir} and \`mvn\` is not on PATH to download it. ` +
        'Install Maven (e.g. `apt-get install maven`), or set KAFKA_HOME to an unpacked Kafka distribution.',
    );
  }

  onProgress?.({ step: 'resolve-jars', state: 'start', message: `Downloading Kafka ${version} jars with Maven` });
  const madeVersionDir = !existsSync(versionDir);
  mkdirSync(versionDir, { recursive: true });
  // Download beside, then rename: a concurrent or interrupted download never leaves a half-filled libs/.
  const staging = join(versionDir, `libs.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const pom = join(versionDir, `pom-${process.pid}.xml`);
  writeFileSync(pom, kafkaPom(version));
  const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
  const result = await execa(
    mvn,
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'],
    { reject: false, all: true, cancelSignal: signal, env: { ...env }, extendEnv: false },
  );
  rmSync(pom, { force: true });
  if (result.exitCode !== 0 || !existsSync(staging) || listJars(staging).length === 0) {
    rmSync(staging, { recursive: true, force: true });
    // A version Maven does not know leaves no empty folder behind (rmdir: only if nothing else went in meanwhile).
    if (madeVersionDir) tryRmdir(versionDir);
    onProgress?.({ step: 'resolve-jars', state: 'fail', message: `Maven could not resolve Kafka ${version}` });
    const tail = (result.all ?? '').split('\n').slice(-30).join('\n');
    throw new BrokerError(
      'KAFKA_JARS_UNAVAILABLE',
      `Maven could not download Kafka ${version} (org.apache.kafka:kafka_2.13:${version}) from Maven Central ` +
        `(exit ${String(result.exitCode ?? result.signal)}). Check the version exists and the network/proxy settings ` +
        `(~/.m2/settings.xml), or set KAFKA_HOME.\n--- mvn output (tail) ---\n${tail}`,
      { logTail: tail },
    );
  }
  if (existsSync(join(versionDir, JARS_MARKER))) {
    rmSync(staging, { recursive: true, force: true }); // another process finished first
  } else {
    rmSync(libs, { recursive: true, force: true });
    renameSync(staging, libs);
    writeFileSync(
      join(versionDir, JARS_MARKER),
      `${JSON.stringify({ version, log4j: LOG4J_VERSION, at: new Date().toISOString() })}\n`,
    );
  }
  onProgress?.({ step: 'resolve-jars', state: 'done', message: `Kafka ${version} jars cached in ${libs}` });
  return { version, jars: listJars(libs), source: 'maven' };
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another process is filling it) or gone already
  }
}

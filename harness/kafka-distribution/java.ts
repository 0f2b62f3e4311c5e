import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BrokerError } from '../errors.js';
import type { Env } from './cache.js';

export const MIN_JAVA_MAJOR = 17;

export interface JavaInfo {
  /** The java binary, symlinks resolved (so javac and jar are found beside it). */
  readonly path: string;
  /** Version string as printed by `java -version`, e.g. `17.0.15`. */
  readonly version: string;
  readonly major: number;
  /** Where it was found, for `doctor`. */
  readonly source: 'JAVA_HOME' | 'PATH';
}

/** The version out of `java -version` output (stderr): `openjdk version "17.0.15" …`, `"1.8.0_392"`, `"21"`, `"24-ea"`. */
export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (!match?.[1]) return undefined;
  const version = match[1];
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts?.[1]) return undefined;
  const first = Number(parts[1]);
  // Java 8 and older report 1.x.
  const major = first === 1 && parts[2] !== undefined ? Number(parts[2]) : first;
  return { version, major };
}

/** Find a Java 17+ runtime: `$JAVA_HOME/bin/java`, then `java` on PATH. */
export async function findJava(env: Env = process.env): Promise<JavaInfo> {
  const candidates: { path: string; source: JavaInfo['source'] }[] = [];
  if (env.JAVA_HOME) candidates.push({ path: join(env.JAVA_HOME, 'bin', 'java'), source: 'JAVA_HOME' });
  const onPath = findOnPath('java', env);
  if (onPath) candidates.push({ path: onPath, source: 'PATH' });

  const rejected: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate.path)) {
      rejected.push(`${candidate.path} (from ${candidate.source}) does not exist`);
      continue;
    }
    const parsed = releaseVersion(candidate.path) ?? parseJavaVersion(await javaVersionOutput(candidate.path));
    if (!parsed) {
      rejected.push(`${candidate.path} (from ${candidate.source}): could not read its version`);
    } else if (parsed.major < MIN_JAVA_MAJOR) {
      rejected.push(`${candidate.path} (from ${candidate.source}) is Java ${parsed.version}`);
    } else {
      return { path: realpathSync(candidate.path), ...parsed, source: candidate.source };
    }
  }
  const found = rejected.length > 0 ? ` Found: ${rejected.join('; ')}.` : ' No java on PATH and JAVA_HOME is not set.';
  throw new BrokerError(
    'JAVA_NOT_FOUND',
    `The native broker needs a JDK ${MIN_JAVA_MAJOR}+.${found} Install one (e.g. \`apt-get install openjdk-17-jdk-headless\`, ` +
      '`brew install openjdk@17`, or https://adoptium.net) and put it on PATH or set JAVA_HOME.',
  );
}

/**
 * The version a JDK's `release` file records (`JAVA_VERSION="17.0.15"`, what `java -version` prints), read
 * instead of starting a JVM (a process on every broker start). Only for a real `<home>/bin/java`;
 * a wrapper script (asdf, jenv) or a JDK without the file is asked with `java -version`.
 */
export function releaseVersion(javaPath: string): { version: string; major: number } | undefined {
  try {
    const real = realpathSync(javaPath);
    if (basename(real) !== 'java' || basename(dirname(real)) !== 'bin') return undefined;
    const release = readFileSync(join(dirname(dirname(real)), 'release'), 'utf8');
    const version = /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
    return version === undefined ? undefined : parseJavaVersion(`version "${version}"`);
  } catch {
    return undefined;
  }
}

async function javaVersionOutput(javaPath: string): Promise<string> {
  const { execa } = await import('execa'); // loaded only when a JVM must be asked: the start path never pays for it
  const result = await execa(javaPath, ['-version'], { reject: false, timeout: 10_000, all: true });
  return result.all ?? '';
}

/** A JDK tool (javac, jar) next to the java binary. */
export function jdkTool(java: JavaInfo, tool: 'javac' | 'jar'): string {
  const path = join(dirname(java.path), tool);
  if (!existsSync(path)) {
    throw new BrokerError(
      'JAVA_NOT_FOUND',
      `${java.path} is a JRE without \`${tool}\`; the native broker needs a full JDK ${MIN_JAVA_MAJOR}+ ` +
        '(e.g. `apt-get install openjdk-17-jdk-headless`) to build its small launcher once.',
    );
  }
  return path;
}

/** `which`, without a dependency: the first executable named `name` on PATH. */
export function findOnPath(name: string, env: Env = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

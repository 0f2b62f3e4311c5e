import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrokerError } from '../../errors.js';
import { harnessCacheDir, jdkTool, type Env, type JavaInfo } from '../../kafka-distribution/index.js';

// The broker JVM runs through ParentWatchLauncher, which halts the JVM (and removes its temp data
// dir) when its stdin pipe from the harness closes, i.e. when the harness dies, even by kill -9.
// It is compiled once per source hash and JDK into a jar (a jar, not a class directory, because
// class-data sharing refuses non-empty directories on the class path).

export const LAUNCHER_CLASS = 'ParentWatchLauncher';

function launcherSource(): string {
  const candidates = [
    new URL('./java/ParentWatchLauncher.java', import.meta.url), // running from source (tsx, vitest)
    new URL('../../../../harness/brokers/native/java/ParentWatchLauncher.java', import.meta.url), // from dist/
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new BrokerError(
    'BROKER_START_FAILED',
    `ParentWatchLauncher.java is missing from the package (looked in ${candidates.map((u) => fileURLToPath(u)).join(', ')}).`,
  );
}

/** Path of the launcher jar, building it on first use. */
export async function ensureLauncherJar(java: JavaInfo, env: Env = process.env): Promise<string> {
  const sourcePath = launcherSource();
  const source = readFileSync(sourcePath);
  const hash = createHash('sha256').update(source).update(`\0${java.path}\0${java.version}`).digest('hex').slice(0, 16);
  const dir = join(harnessCacheDir(env), 'launcher');
  const jar = join(dir, `parent-watch-${hash}.jar`);
  if (existsSync(jar)) return jar;

  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'build-'));
  try {
    const classes = join(work, 'classes');
    const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
    const javac = await execa(jdkTool(java, 'javac'), ['--release', '17', '-d', classes, sourcePath], {
      reject: false,
      all: true,
    });
    if (javac.exitCode !== 0) {
      throw new BrokerError('BROKER_START_FAILED', `Compiling ${sourcePath} failed:\n${javac.all ?? ''}`);
    }
    const built = join(work, 'launcher.jar');
    const jarTool = await execa(jdkTool(java, 'jar'), ['cf', built, '-C', classes, '.'], { reject: false, all: true });
    if (jarTool.exitCode !== 0) {
      throw new BrokerError('BROKER_START_FAILED', `Packaging the launcher jar failed:\n${jarTool.all ?? ''}`);
    }
    renameSync(built, jar); // atomic: concurrent builders both end with a complete jar
    return jar;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

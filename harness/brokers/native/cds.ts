import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env, JavaInfo } from '../../kafka-distribution/index.js';

// Application class-data sharing: the first single-broker run records the classes it loaded into
// an archive when it stops gracefully (-XX:ArchiveClassesAtExit); later starts map it
// (-XX:SharedArchiveFile) and skip most class loading (docs/performance.md, "Broker start"). The
// JVM validates the archive against the class path and silently runs without it on mismatch, so
// a stale archive costs speed, never correctness. GAMELAN_KAFKA_CDS=0 turns it off.

export type CdsMode = 'use' | 'dump' | 'off';

export interface CdsArchive {
  readonly path: string;
  readonly mode: CdsMode;
  /** Where the dumping JVM writes; renamed to `path` only after a clean exit. */
  readonly dumpPath: string;
}

export function cdsEnabled(env: Env = process.env): boolean {
  return env.GAMELAN_KAFKA_CDS !== '0' && env.GAMELAN_KAFKA_CDS !== 'false';
}

/** The archive for this JDK and class path; `mayDump` only when a graceful stop will follow. */
export function planCds(
  versionDir: string,
  java: JavaInfo,
  classpath: string,
  mayDump: boolean,
  env: Env = process.env,
): CdsArchive {
  const hash = createHash('sha256').update(`${java.path}\0${java.version}\0${classpath}`).digest('hex').slice(0, 16);
  const dir = join(versionDir, 'cds');
  const path = join(dir, `${hash}.jsa`);
  const dumpPath = `${path}.${process.pid}.tmp`;
  if (!cdsEnabled(env)) return { path, mode: 'off', dumpPath };
  if (existsSync(path)) return { path, mode: 'use', dumpPath };
  if (!mayDump) return { path, mode: 'off', dumpPath };
  mkdirSync(dir, { recursive: true });
  removeStaleDumps(dir);
  return { path, mode: 'dump', dumpPath };
}

export function cdsJvmArgs(cds: CdsArchive): string[] {
  // cds logging off: the dump lists every class it skips on stdout, which lands in the broker log.
  switch (cds.mode) {
    case 'use':
      return [`-XX:SharedArchiveFile=${cds.path}`, '-Xshare:auto', '-Xlog:cds=off', '-Xlog:cds+dynamic=off'];
    case 'dump':
      return [`-XX:ArchiveClassesAtExit=${cds.dumpPath}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'];
    case 'off':
      return [];
  }
}

/** After the dumping JVM exited: publish the archive if it was written completely. */
export function finishCdsDump(cds: CdsArchive, cleanExit: boolean): boolean {
  if (cds.mode !== 'dump') return false;
  try {
    if (cleanExit && existsSync(cds.dumpPath) && statSync(cds.dumpPath).size > 0) {
      renameSync(cds.dumpPath, cds.path);
      return true;
    }
  } catch {
    // A failed rename only means the next run dumps again.
  }
  rmSync(cds.dumpPath, { force: true });
  return false;
}

function removeStaleDumps(dir: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.tmp') && statSync(path).mtimeMs < hourAgo) rmSync(path, { force: true });
  }
}

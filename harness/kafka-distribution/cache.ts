import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// The per-user cache: Kafka jars per version, the compiled launcher, CDS archives and broker logs.
// Logs live here rather than in the (deleted) temp data dir so a failed start can point at them.

export type Env = Readonly<Record<string, string | undefined>>;

/** Start-id directories kept under logs/; older ones are removed when a new start begins. */
export const KEPT_LOG_RUNS = 20;

export function harnessCacheDir(env: Env = process.env): string {
  if (env.GAMELAN_HARNESS_CACHE) return env.GAMELAN_HARNESS_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'gamelan-kafka-harness');
}

export function kafkaVersionDir(version: string, env: Env = process.env): string {
  return join(harnessCacheDir(env), `kafka-${version}`);
}

/** A fresh `logs/<start-id>` directory; start ids sort by time, so the oldest are pruned first. */
export function newLogRunDir(env: Env = process.env): string {
  const logsDir = join(harnessCacheDir(env), 'logs');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-');
  const runDir = join(logsDir, `${stamp}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`);
  mkdirSync(runDir, { recursive: true });
  pruneLogRuns(logsDir, KEPT_LOG_RUNS);
  return runDir;
}

export function pruneLogRuns(logsDir: string, keep: number): void {
  const runs = readdirSync(logsDir).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - keep))) {
    rmSync(join(logsDir, old), { recursive: true, force: true });
  }
}

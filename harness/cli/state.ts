import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bootstrapServersFromEnv } from '../config/bootstrap.js';
import { BrokerError } from '../errors.js';

/** What `up` leaves for `down`, `topics`, `run` and friends: who holds the broker, and where it is. */
export interface UpState {
  readonly pid: number;
  readonly kind: string;
  readonly bootstrapServers: readonly string[];
  readonly brokerCount: number;
  readonly logFiles: readonly string[];
  readonly topics: Readonly<Record<string, string>>;
  readonly configSource: string | null;
  readonly startedAt: string;
}

/** Per project directory, so `up --detach` in a checkout serves `run` in that checkout. */
export function stateFilePath(explicit?: string): string {
  return path.resolve(explicit ?? process.env.GAMELAN_HARNESS_STATE ?? path.join('.gamelan-harness', 'up.json'));
}

export function writeState(file: string, state: UpState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file); // atomic: a reader never sees half a file
}

export function readState(file: string): UpState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as UpState;
  } catch {
    return undefined;
  }
}

export function removeState(file: string, pid?: number): void {
  const state = readState(file);
  if (pid === undefined || state?.pid === pid) rmSync(file, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Bootstrap servers of a running cluster: --bootstrap-servers, then the environment, then `up`'s state. */
export function runningBootstrapServers(explicit: readonly string[] | undefined, stateFile: string): string[] {
  if (explicit?.length) return [...explicit];
  const fromEnv = bootstrapServersFromEnv(process.env);
  if (fromEnv) return fromEnv.servers;
  const state = readState(stateFile);
  if (state && isAlive(state.pid)) return [...state.bootstrapServers];
  throw new BrokerError(
    'BROKER_STATE_NOT_FOUND',
    `No running harness found (state file ${stateFile} ${state ? `names pid ${state.pid}, which is gone` : 'does not exist'}). ` +
      'Start one with `gamelan-harness up --detach`, or pass --bootstrap-servers host:port.',
  );
}

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bootstrapServersFromEnv } from '../config/bootstrap.js';
import { BrokerError } from '../errors.js';
import type { FaultProxyRecord } from '../faults/attached.js';
import { type ProcessIdentity, identityOf, isSameProcess, notAHarnessUp } from './process-identity.js';

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
  /** The harness process itself (pid, start time, command line): what `down` checks before it signals. */
  readonly process?: ProcessIdentity;
  /**
   * A detached `up`: the random token it was started with in its environment (UP_TOKEN_ENV). `down` signals only a
   * process whose own environment holds it: a state file can copy a pid, start time and command line, not this.
   */
  readonly token?: string;
  /**
   * Secure brokers: the mode, and the client.properties (mode 0600, beside this file) later commands connect
   * with. The password lives only in that file, never here.
   */
  readonly security?: { readonly mode: string; readonly description: string; readonly commandConfig: string };
  /**
   * `up --fault-proxy`: the Toxiproxy API, the proxy in front of each broker (what `fault` drives by name)
   * and each broker node's process (pid, start time, command line: what `fault kill|pause|resume` checks).
   */
  readonly faults?: FaultProxyRecord & {
    /** Native nodes' processes (containers: none; their faults are asked of `up`). */
    readonly nodes: readonly { readonly nodeId: number; readonly process: ProcessIdentity }[];
    /** How broker faults reach the nodes: `signals` (native, by `fault` itself) or `docker` (asked of `up`). */
    readonly brokerFaults?: 'signals' | 'docker';
  };
}

/** The client.properties `up` writes beside its state file for a secure broker (and the CA it names). */
export function clientPropertiesPath(stateFile: string): { readonly properties: string; readonly ca: string } {
  const base = stateFile.replace(/\.json$/, '');
  return { properties: `${base}.client.properties`, ca: `${base}.ca.pem` };
}

/**
 * The client.properties to connect with: --command-config, else the one `up` wrote when the servers come
 * from its state (not from --bootstrap-servers or the environment); undefined: plaintext.
 */
export function runningCommandConfig(
  explicitServers: readonly string[] | undefined,
  explicitCommandConfig: string | undefined,
  stateFile: string,
): string | undefined {
  if (explicitCommandConfig !== undefined) return explicitCommandConfig;
  if (explicitServers?.length || bootstrapServersFromEnv(process.env)) return undefined;
  const state = readState(stateFile);
  return state && isRunning(state) ? state.security?.commandConfig : undefined;
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

/**
 * The state file for `down`: undefined when there is none; a BrokerError (BROKER_STATE_INVALID, bad
 * input) when it is not JSON or not a harness state file, so a corrupt or foreign file is reported
 * as such, never acted on.
 */
export function readStateStrict(file: string): UpState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BrokerError(
      'BROKER_STATE_INVALID',
      `The state file ${file} cannot be read: ${(error as Error).message}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BrokerError(
      'BROKER_STATE_INVALID',
      `The state file ${file} is corrupt (not JSON: ${(error as Error).message}); nothing was signalled. Remove it if no harness is running.`,
    );
  }
  const problem = stateProblem(json);
  if (problem) {
    throw new BrokerError(
      'BROKER_STATE_INVALID',
      `${file} is not a harness state file written by \`up\` (${problem}); nothing was signalled. Pass the right --state-file, or remove it.`,
    );
  }
  return json as UpState;
}

function stateProblem(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'it is not a JSON object';
  const state = json as Record<string, unknown>;
  if (!Number.isInteger(state.pid) || (state.pid as number) <= 0)
    return `"pid" is ${JSON.stringify(state.pid)}, not a process id`;
  if (!Array.isArray(state.bootstrapServers) || !state.bootstrapServers.every((s) => typeof s === 'string'))
    return '"bootstrapServers" is not a list of host:port';
  if (typeof state.startedAt !== 'string') return '"startedAt" is missing';
  const identity = state.process as Record<string, unknown> | undefined;
  if (
    identity !== undefined &&
    (identity?.pid !== state.pid || typeof identity.startTime !== 'string' || typeof identity.commandLine !== 'string')
  ) {
    return '"process" does not describe its pid';
  }
  if (state.token !== undefined && (typeof state.token !== 'string' || !/^[0-9a-f]{32,128}$/.test(state.token)))
    return '"token" is not a token `up` wrote';
  return undefined;
}

/**
 * Whether the harness a state file names is still running: the same process (pid, start time,
 * command line), not merely a live pid that another process may have reused since.
 */
export function isRunning(state: UpState): boolean {
  return state.process ? isSameProcess(state.process) : isAlive(state.pid);
}

/**
 * Throws BROKER_STATE_INVALID (bad input, nothing signalled) unless the process the state file names is, read from
 * the live process itself, the harness `up` recorded: same pid, start time and command line, node running our
 * CLI's `up`, and (detached) holding the token it was started with. What a forged file names survives.
 */
export function proveHarness(stateFile: string, state: UpState): void {
  let why: string | undefined;
  if (!state.process) why = 'the file records no process start time and command line';
  else if (!isSameProcess(state.process)) {
    const now = identityOf(state.pid);
    why = `it is now ${now ? `\`${now.commandLine}\`` : 'another process'}: the harness is gone and its pid was reused`;
  } else why = notAHarnessUp(state.pid, state.token);
  if (why === undefined) return;
  throw new BrokerError(
    'BROKER_STATE_INVALID',
    `${stateFile} names pid ${state.pid}, but that process cannot be proven to be the harness \`up\` started (${why}). ` +
      `Nothing was signalled. If no harness is running, remove ${stateFile}.`,
  );
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
  if (state && isRunning(state)) return [...state.bootstrapServers];
  throw new BrokerError(
    'BROKER_STATE_NOT_FOUND',
    `No running harness found (state file ${stateFile} ${state ? `names pid ${state.pid}, which is gone` : 'does not exist'}). ` +
      'Start one with `gamelan-harness up --detach`, or pass --bootstrap-servers host:port.',
  );
}

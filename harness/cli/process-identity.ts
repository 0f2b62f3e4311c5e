import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Who a pid is: its start time and command line. A pid alone names whatever process got that number
 * last; with its start time (and command line) it names one process for good, so `down` signals
 * the harness that `up` started and never an unrelated process that reused the pid.
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** Linux: clock ticks after boot (/proc/<pid>/stat field 22); elsewhere `ps -o lstart`. */
  readonly startTime: string;
  readonly commandLine: string;
}

/** The identity of a live process, or undefined when there is no such process (or it cannot be read). */
export function identityOf(pid: number): ProcessIdentity | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return fromProc(pid) ?? fromPs(pid);
}

function fromProc(pid: number): ProcessIdentity | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = fields[19]; // field 22 of the whole line; fields here start at field 3
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return startTime ? { pid, startTime, commandLine } : undefined;
  } catch {
    return undefined;
  }
}

function fromPs(pid: number): ProcessIdentity | undefined {
  if (process.platform === 'linux' || process.platform === 'win32') return undefined;
  try {
    const ps = (column: string) => execFileSync('ps', ['-o', `${column}=`, '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const startTime = ps('lstart');
    return startTime ? { pid, startTime, commandLine: ps('args') } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `recorded` is still the live process it names (same pid, start time and command line). */
export function isSameProcess(recorded: ProcessIdentity): boolean {
  const live = identityOf(recorded.pid);
  return live !== undefined && live.startTime === recorded.startTime && live.commandLine === recorded.commandLine;
}

/**
 * Whether the pid is still taken by the recorded process, exited or not: same start time (an exited
 * process keeps its /proc entry, without a command line, until its parent reaps it). `down` waits for this
 * to end, so the pid is free when it reports the harness stopped.
 */
export function stillHoldsPid(recorded: ProcessIdentity): boolean {
  const live = identityOf(recorded.pid);
  return live !== undefined && live.startTime === recorded.startTime;
}


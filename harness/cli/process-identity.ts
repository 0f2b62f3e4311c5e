import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

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
    const ps = (column: string) =>
      execFileSync('ps', ['-o', `${column}=`, '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
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

/**
 * The environment variable a detached `up` is started with: a random token only that `up` and its state file know.
 * A state file can name any pid and copy its start time and command line; it cannot put this token into another
 * process's environment, so `down` reads it back from the live process (/proc/<pid>/environ) before it signals.
 */
export const UP_TOKEN_ENV = 'GAMELAN_HARNESS_UP_TOKEN';

// Our CLI's main (built or source), or the repository's `npm run harness` launcher, which imports it in-process.
const HARNESS_MAIN = /(^|[/\\])(harness[/\\]cli[/\\]main\.(c|m)?(j|t)s|scripts[/\\]harness\.mjs)$/;

/**
 * Why the live process `pid` cannot be proven to be a harness `up` (undefined: proven). Read from the process
 * itself, never from a state file: its executable is node, its arguments run our CLI's main with `up`, and, when
 * `token` is given, its environment holds that token. Where there is no /proc, the command line from `ps` must
 * still run our main with `up`.
 */
export function notAHarnessUp(pid: number, token: string | undefined): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return `pid ${String(pid)} is not a process id`;
  if (!existsSync('/proc/self/cmdline')) {
    const commandLine = identityOf(pid)?.commandLine;
    if (!commandLine) return `pid ${pid} is not running`;
    return runsHarnessUp(commandLine.split(' '), undefined)
      ? undefined
      : `it runs \`${commandLine}\`, not \`gamelan-harness up\``;
  }
  let exe: string;
  let args: string[];
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? `pid ${pid} is not running`
      : `its executable and arguments cannot be read (${code ?? (error as Error).message}): it is not a process of yours`;
  }
  const shown = args.join(' ');
  if (!isNodeExecutable(exe)) return `it is not node but ${exe.replace(/ \(deleted\)$/, '')} (\`${shown}\`)`;
  let cwd: string | undefined;
  try {
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    cwd = undefined;
  }
  if (!runsHarnessUp(args.slice(1), cwd)) return `it runs \`${shown}\`, not \`gamelan-harness up\``;
  if (token === undefined) return undefined;
  let environ: string[];
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch (error) {
    return `its environment cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  return environ.includes(`${UP_TOKEN_ENV}=${token}`)
    ? undefined
    : `it does not hold the token \`up\` was started with (a state file cannot prove who a process is)`;
}

function isNodeExecutable(exe: string): boolean {
  const file = exe.replace(/ \(deleted\)$/, '');
  if (file === process.execPath) return true;
  try {
    if (realpathSync(file) === realpathSync(process.execPath)) return true;
  } catch {
    // compared by name below
  }
  return /^node(js)?[\d.-]*(\.exe)?$/.test(path.basename(file));
}

/** Whether these arguments (after the executable) run our CLI's main with the `up` command. */
function runsHarnessUp(args: readonly string[], cwd: string | undefined): boolean {
  const main = args.findIndex((arg) => {
    if (arg.startsWith('-')) return false;
    if (path.basename(arg) === 'gamelan-harness') return true;
    const file = arg.startsWith('file://') ? arg.slice('file://'.length) : arg;
    const absolute = cwd ? path.resolve(cwd, file) : file;
    let real = absolute;
    try {
      real = realpathSync(absolute);
    } catch {
      // a path that is gone: judged by its name
    }
    return HARNESS_MAIN.test(real) || HARNESS_MAIN.test(file);
  });
  return main >= 0 && args.slice(main + 1).includes('up');
}

/** Whether `pid` is `ancestor` or descends from it (parent links from /proc/<pid>/stat, a few levels deep). */
export function descendsFrom(pid: number, ancestor: number, maxDepth = 6): boolean {
  let current = pid;
  for (let depth = 0; depth <= maxDepth && current > 1; depth++) {
    if (current === ancestor) return true;
    try {
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

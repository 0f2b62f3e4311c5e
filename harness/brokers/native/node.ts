import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { BROKER_JVM_ARGS } from '../kraft/index.js';
import { LAUNCHER_CLASS } from './launcher.js';

// One broker JVM. Its stdin is a pipe the harness holds open and never writes: the launcher halts
// the JVM when it closes (harness death). stdout/stderr append to the node's log file, so JVM-level
// failures (bad flags, OOM) are in the same tail as log4j's lines.

export interface NodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnNodeOptions {
  readonly nodeId: number;
  readonly java: string;
  readonly jvmArgs: readonly string[];
  readonly classpath: string;
  readonly propertiesFile: string;
  readonly log4jFile: string;
  readonly logFile: string;
  /** Removed by the launcher when the harness dies (temp dirs only). */
  readonly deleteOnParentExit?: string;
  /** StorageTool arguments (storage.ts writeFormatArgs): the JVM formats its log dir first. */
  readonly formatArgsFile?: string;
}

export interface KafkaNodeProcess {
  readonly nodeId: number;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<NodeExit>;
  hasExited(): boolean;
  /** SIGTERM (graceful) or SIGKILL; resolves once exited. Graceful falls back to SIGKILL after `timeoutMs`. */
  stop(mode: 'graceful' | 'kill', timeoutMs?: number): Promise<NodeExit>;
  killSync(): void;
}

export function spawnKafkaNode(options: SpawnNodeOptions): KafkaNodeProcess {
  const out = openSync(options.logFile, 'a');
  const args = [
    ...BROKER_JVM_ARGS,
    ...options.jvmArgs,
    `-Dlog4j2.configurationFile=${options.log4jFile}`,
    ...(options.deleteOnParentExit ? [`-Dgamelan.deleteOnParentExit=${options.deleteOnParentExit}`] : []),
    ...(options.formatArgsFile ? [`-Dgamelan.formatArgsFile=${options.formatArgsFile}`] : []),
    '-cp',
    options.classpath,
    LAUNCHER_CLASS,
    'kafka.Kafka', // kept literally on the command line: `pgrep -f kafka.Kafka` finds harness brokers
    options.propertiesFile,
  ];
  let child;
  try {
    child = spawn(options.java, args, { stdio: ['pipe', out, out], detached: false });
  } finally {
    closeSync(out);
  }
  if (child.pid === undefined) {
    throw new Error(`could not spawn ${options.java}`);
  }
  const pid = child.pid;
  let exit: NodeExit | undefined;
  const exited = new Promise<NodeExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', () => {
      exit ??= { code: null, signal: null };
      resolve(exit);
    });
  });
  // The JVM must not hold the harness up: the lifecycle registry kills it on exit instead.
  child.unref();
  child.stdin?.on('error', () => {}); // EPIPE when the JVM is gone first
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();

  const signal = (name: NodeJS.Signals): void => {
    if (exit) return;
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };

  return {
    nodeId: options.nodeId,
    pid,
    logFile: options.logFile,
    exited,
    hasExited: () => exit !== undefined,
    async stop(mode, timeoutMs = 20_000) {
      if (exit) return exit;
      child.ref(); // someone awaits this exit: keep the process alive until it happens
      if (mode === 'kill') {
        signal('SIGKILL');
        return exited;
      }
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    killSync: () => signal('SIGKILL'),
  };
}

/** The last `lines` lines of a log file ('' when it does not exist yet); reads at most the last 64 KiB. */
export function logTail(file: string, lines = 30): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').replace(/\n$/, '').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The first ERROR/FATAL lines of a log, each with the exception line under it: a failed start ends
 * with a long shutdown, so the cause is near the top, not in the tail.
 */
export function firstErrors(file: string, max = 3): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  const found: string[] = [];
  for (let i = 0; i < lines.length && found.length < max; i++) {
    if (!/^\[[^\]]+\] (ERROR|FATAL) /.test(lines[i]!)) continue;
    const next = lines[i + 1];
    found.push(next && !next.startsWith('[') && !next.startsWith('\tat ') ? `${lines[i]}\n  ${next}` : lines[i]!);
  }
  return found;
}

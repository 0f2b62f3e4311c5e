import { stderrColors as pc } from '../colors.js';
import {
  BrokerError,
  causeChain,
  ConfigError,
  ContractError,
  FaultError,
  HarnessError,
  TopicError,
} from '../errors.js';
import { redactSecrets } from '../config/secrets.js';

/**
 * Exit codes: 0 ok, 1 a run or check failed, 2 bad input (nothing was started). This module is the one place that
 * decides them: isBadInput for the harness's own errors, classifyRawError for system and Kafka client errors.
 */
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** A yargs usage error (unknown option, missing value, a failed `.check`): bad input. */
export class UsageError extends Error {}

/** Errors that mean the input was wrong and nothing was started. */
export function isBadInput(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    (error instanceof TopicError && error.code === 'REPLICATION_FACTOR_TOO_HIGH') ||
    (error instanceof BrokerError && error.code === 'BROKER_STATE_INVALID') ||
    (error instanceof ContractError && error.code === 'CONTRACT_CASE_INVALID') ||
    // A bad fault option, or no fault target (no `up --fault-proxy`, an unknown broker): nothing was injected.
    (error instanceof FaultError && (error.code === 'FAULT_PROXY_INVALID' || error.code === 'FAULT_TARGET_UNKNOWN'))
  );
}

/**
 * Write one readable report of a failed command to stderr and return its exit code. Stack traces
 * only with --verbose: a user needs the sentence (what, where, what to try), not our call stack.
 */
export function reportError(error: unknown, { verbose = false }: { verbose?: boolean } = {}): number {
  // Redacted: a library error can echo its configuration, passwords included.
  const write = (text: string) => process.stderr.write(redactSecrets(text));
  if (error instanceof UsageError) {
    write(`${pc.red('error:')} ${error.message}\nRun gamelan-harness --help for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof HarnessError) {
    write(`${pc.red(`error [${error.code}]:`)} ${error.message}\n`);
    const details = (error as { details?: { logFile?: string; logTail?: string } }).details;
    if (details?.logFile) write(`broker log: ${details.logFile}\n`);
    if (details?.logTail) write(`${pc.dim(details.logTail)}\n`);
    if (verbose) write(`${pc.dim(stackOf(error))}\n`);
    return isBadInput(error) ? EXIT_BAD_INPUT : EXIT_FAILURE;
  }
  const raw = classifyRawError(error);
  if (raw) {
    write(`${pc.red(`error [${raw.code}]:`)} ${raw.message}\n`);
    if (verbose) write(`${pc.dim(stackOf(error))}\n`);
    return raw.exit;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`${pc.red('error:')} ${message}\n`);
  write(verbose ? `${pc.dim(stackOf(error))}\n` : pc.dim('Run it again with --verbose for the stack trace.\n'));
  return EXIT_FAILURE;
}

/** A system or Kafka client error in words: what was being done, what went wrong, what to do, and its exit code. */
export interface RawErrorReport {
  /** The system error code (EISDIR…) or the Kafka error type (UNKNOWN_TOPIC_OR_PARTITION…). */
  readonly code: string;
  readonly message: string;
  readonly exit: typeof EXIT_BAD_INPUT | typeof EXIT_FAILURE;
}

const SYSCALLS: Readonly<Record<string, string>> = {
  open: 'opening',
  mkdir: 'creating the directory',
  rename: 'moving',
  unlink: 'removing',
  rmdir: 'removing the directory',
  scandir: 'listing the directory',
  stat: 'looking at',
  lstat: 'looking at',
  read: 'reading',
  write: 'writing',
  copyfile: 'copying',
  symlink: 'linking',
  access: 'checking',
};

/** Per system error: what it means for a path, and whether the input was wrong (2) or the machine (1). */
const ERRNO: Readonly<Record<string, { readonly means: string; readonly exit: 1 | 2 }>> = {
  EISDIR: { means: 'it is a directory, where a file is needed', exit: 2 },
  ENOTDIR: { means: 'a part of the path is a file, where a directory is needed', exit: 2 },
  EEXIST: { means: 'it already exists', exit: 2 },
  ENAMETOOLONG: { means: 'the name is too long (a file name is at most 255 bytes, a path 4095)', exit: 2 },
  ENOENT: { means: 'it does not exist', exit: 2 },
  EACCES: { means: 'permission denied', exit: 2 },
  EPERM: { means: 'the operation is not permitted', exit: 2 },
  EROFS: { means: 'the file system is read-only', exit: 2 },
  ELOOP: { means: 'it is a loop of symbolic links', exit: 2 },
  ENOSPC: { means: 'the disk is full', exit: 1 },
  EMFILE: { means: 'too many files are open in this process', exit: 1 },
};

/**
 * The one place raw errors get words and an exit code: a Node system error on a path (EISDIR, EEXIST,
 * ENAMETOOLONG…) names the path and what to do; kafkajs's "Invalid groupId" and "does not host this
 * topic-partition" name the group or topic input. Undefined: not one we know (reported as it is, exit 1).
 */
export function classifyRawError(error: unknown): RawErrorReport | undefined {
  for (const e of causeChain(error)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    const known = code ? ERRNO[code] : undefined;
    if (code === 'ENOENT' && typeof e.syscall === 'string' && e.syscall.startsWith('spawn')) {
      return {
        code,
        exit: EXIT_FAILURE,
        message: `starting ${String(e.path)} failed: it is not installed or not on PATH. Install it, or put it on PATH.`,
      };
    }
    if (code && known && typeof e.syscall === 'string') {
      const doing = SYSCALLS[e.syscall] ?? `${e.syscall} on`;
      // Without a path (a read on an open file) the system's own message is all that names it.
      const what =
        typeof e.path === 'string'
          ? `${e.path}${typeof e.dest === 'string' ? ` to ${e.dest}` : ''}`
          : `a file (${String(e.message)})`;
      const fix =
        known.exit === 2
          ? 'Check the path you gave (an option, an environment variable or a configuration file) and pass another.'
          : 'Free what it names and run it again.';
      return { code, exit: known.exit, message: `${doing} ${what} failed: ${known.means}. ${fix}` };
    }
    const name = typeof e.name === 'string' ? e.name : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (!name.startsWith('KafkaJS')) continue;
    if (/invalid groupid/i.test(message)) {
      return {
        code: 'INVALID_GROUP_ID',
        exit: 2,
        message: `Kafka refused the consumer group id: ${message}. Give a group id that is not empty (--group <id>, or the group of your configuration).`,
      };
    }
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION' || /does not host this topic-partition/i.test(message)) {
      return {
        code: 'UNKNOWN_TOPIC_OR_PARTITION',
        exit: 2,
        message: `A topic this command named does not exist on the cluster (Kafka: "${message}"). Check the topic name (\`gamelan-harness topics\` lists the Gamelan topics), or create it first.`,
      };
    }
  }
  return undefined;
}

function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    lines.push(lines.length ? `caused by: ${e.stack ?? e.message}` : (e.stack ?? e.message));
  return lines.join('\n');
}

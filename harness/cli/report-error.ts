import { stderrColors as pc } from '../colors.js';
import { BrokerError, ConfigError, ContractError, FaultError, HarnessError, TopicError } from '../errors.js';
import { redactSecrets } from '../config/secrets.js';

/** Exit codes: 0 ok, 1 a run or check failed, 2 bad input (nothing was started). */
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
  const message = error instanceof Error ? error.message : String(error);
  write(`${pc.red('error:')} ${message}\n`);
  write(verbose ? `${pc.dim(stackOf(error))}\n` : pc.dim('Run it again with --verbose for the stack trace.\n'));
  return EXIT_FAILURE;
}

function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) lines.push(lines.length ? `caused by: ${e.stack ?? e.message}` : (e.stack ?? e.message));
  return lines.join('\n');
}

import type { ClientLogSink } from '../clients/client-api.js';
import { redactSecrets } from '../config/secrets.js';

// --log-level for the Kafka clients of the tools (tail, produce, lag, dlq, reset-offsets…): the client
// library's own log, to stderr so --json output on stdout stays machine-readable. Default: nothing, or warn
// with --verbose.

export const LOG_LEVELS = ['nothing', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogArgs {
  readonly logLevel?: LogLevelName | undefined;
  readonly verbose?: boolean | undefined;
}

/** The level the arguments ask for: --log-level, else warn with --verbose, else nothing. */
export function logLevelName(argv: LogArgs): LogLevelName {
  return argv.logLevel ?? (argv.verbose ? 'warn' : 'nothing');
}

/** One line per client log entry on stderr: library, level, namespace, message and its fields. */
export const stderrLogSink: ClientLogSink = ({ namespace, level, message, fields }) => {
  const { timestamp: _timestamp, logger, ...rest } = fields;
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  process.stderr.write(
    redactSecrets(
      `${typeof logger === 'string' ? logger : 'kafka'} ${level.toUpperCase()} [${namespace}] ${message}${extra}\n`,
    ),
  );
};

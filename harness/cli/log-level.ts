import type { logLevel as KafkaLogLevel, logCreator } from 'kafkajs';
import { redactSecrets } from '../config/secrets.js';

// --log-level for the Kafka clients of the tools (tail, produce, lag, dlq, reset-offsets…): kafkajs's
// own log, to stderr so --json output on stdout stays machine-readable. Default: nothing, or warn
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

/** kafkajs's numeric level for a name (kafkajs's enum passed in, so this module does not load kafkajs). */
export function kafkaLogLevel(name: LogLevelName, levels: typeof KafkaLogLevel): KafkaLogLevel {
  return { nothing: levels.NOTHING, error: levels.ERROR, warn: levels.WARN, info: levels.INFO, debug: levels.DEBUG }[name];
}

const LABELS: Record<number, string> = { 1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG' };

/** One line per kafkajs log entry on stderr: level, namespace, message and its fields. */
export const stderrLogCreator: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log as { message: string; timestamp?: string; logger?: string; [key: string]: unknown };
    const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(redactSecrets(`kafkajs ${LABELS[level] ?? level} [${namespace}] ${message}${extra}\n`));
  };

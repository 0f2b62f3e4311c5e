import { redactSecrets } from '../config/secrets.js';
import type { ClientLogSink } from './client-api.js';

// Client libraries log, at ERROR, conditions they retry themselves and that are normal while a broker or a
// group settles (coordinator not yet available or loading, a leader moving, a rebalance). Those
// say nothing to a user; real errors (crashes, failed sends after retries) still get through.
const TRANSIENT = [
  'coordinator is not available',
  'coordinator is loading',
  'not the leader for that topic-partition',
  'not the correct coordinator',
  'group is rebalancing',
  'leader not available',
  'Restarting the consumer',
  // Not transient but intended: a fake executor stopped or crashed on purpose aborts its in-flight handler.
  'The operation was aborted',
  'planned crash',
];

export function isTransientKafkaLog(message: string, error: unknown): boolean {
  const text = `${message} ${typeof error === 'string' ? error : JSON.stringify(error ?? '')}`;
  return TRANSIENT.some((t) => text.includes(t));
}

let silenced = false;

/**
 * From now on the harness's Kafka clients log nothing: a run being stopped (Ctrl-C) tears its clients and broker
 * down, and their complaints about it are not news to the user, who asked for it. For this process, for good.
 */
export function silenceKafkaLogs(): void {
  silenced = true;
}

/** The harness's client log: JSON lines on stderr, without the transient ERRORs above. The default of createClient. */
export const harnessLogSink: ClientLogSink = ({ level, message, fields }) => {
  if (silenced) return;
  const { error, ...rest } = fields as { error?: unknown; stack?: string; [k: string]: unknown };
  if (level === 'error' && isTransientKafkaLog(`${message} ${rest.stack ?? ''}`, error)) return;
  process.stderr.write(
    redactSecrets(
      `${JSON.stringify({ level: level.toUpperCase(), logger: 'kafkajs', message, ...(error === undefined ? {} : { error }), ...rest })}\n`,
    ),
  );
};

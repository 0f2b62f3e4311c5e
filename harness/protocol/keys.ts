import { ProtocolError } from '../errors.js';
import type { TopicRole } from '../vocabulary.js';
import type { DeadLetterMessage } from './messages/dead-letter-message.js';
import { type MessageForRole, messageDefinition, ROLE_MESSAGE_TYPES } from './registry.js';

// Record keys: tasks, results and events by runId (ordering per run), status by tenantId (multi-tenancy),
// dead letters keep the key of the original record (null when it had none).

/** The field of each role's message that is its record key. */
export const KEY_FIELDS = {
  tasks: 'runId',
  results: 'runId',
  events: 'runId',
  status: 'tenantId',
  dlq: 'originalKey',
} as const satisfies Record<TopicRole, string>;

/** The record key for a message on a topic role (null only for a dead letter of a key-less record). */
export function keyFor<R extends Exclude<TopicRole, 'dlq'>>(role: R, message: MessageForRole<R>): string;
export function keyFor(role: 'dlq', message: DeadLetterMessage): string | null;
export function keyFor<R extends TopicRole>(role: R, message: MessageForRole<R>): string | null;
export function keyFor(role: TopicRole, message: MessageForRole<TopicRole>): string | null {
  const field = KEY_FIELDS[role];
  const value = (message as unknown as Record<string, unknown>)[field];
  if (role === 'dlq') return typeof value === 'string' ? value : null;
  if (typeof value !== 'string' || value === '') {
    throw new ProtocolError(
      'MESSAGE_KEY_INVALID',
      `${ROLE_MESSAGE_TYPES[role]} has no ${field} to key the record with (topic role "${role}" is keyed by ${field}).`,
      { path: `$.${field}`, value },
    );
  }
  return value;
}

/** The reason a record key does not fit the message, or undefined when it does. */
export function keyMismatch<R extends TopicRole>(
  role: R,
  message: MessageForRole<R>,
  key: string | null,
): string | undefined {
  if (role === 'dlq') return undefined;
  const field = messageDefinition(ROLE_MESSAGE_TYPES[role]).keyField;
  const expected = keyFor(role, message);
  if (key === null) return `record has no key; records on the ${role} topic are keyed by ${field} ("${expected}")`;
  if (key !== expected) return `record key ${JSON.stringify(key)} does not match ${field} ${JSON.stringify(expected)}`;
  return undefined;
}

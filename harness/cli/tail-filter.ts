import type { TopicRole } from '../vocabulary.js';

// Which records `tail` prints: --run-id, --tenant and --type, all of them when several are given.
// Kept free of kafkajs and the protocol so the rules are unit-tested without a broker.

export interface TailFilterArgs {
  readonly runId?: string | undefined;
  readonly tenant?: string | undefined;
  /** Message types (TaskMessage…), event types (NODE_COMPLETED…) or, on the dead-letter topic, the original's type or the reason. */
  readonly type?: readonly string[] | undefined;
}

/** What a filter reads of one record: its key, text headers and decoded value (undefined when it did not decode). */
export interface TailRecord {
  readonly role: TopicRole;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: unknown;
}

const field = (value: unknown, name: string): string | undefined => {
  const v = (value as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
};

/** The run a record belongs to: its runId, else its key where the protocol keys by run (dead letters keep the original key). */
export function runIdOf(record: TailRecord): string | undefined {
  return field(record.value, 'runId') ?? (record.role === 'status' ? undefined : (record.key ?? undefined));
}

/** The tenant: its tenantId, else the key of a status update (keyed by tenant). */
export function tenantOf(record: TailRecord): string | undefined {
  return field(record.value, 'tenantId') ?? (record.role === 'status' ? (record.key ?? undefined) : undefined);
}

/** Every type name a record answers to for --type. */
export function typesOf(record: TailRecord): string[] {
  return [
    record.headers['gamelan-message-type'],
    field(record.value, 'eventType'),
    field(record.value, 'messageType'),
    field(record.value, 'reason'),
  ].filter((t): t is string => t !== undefined);
}

/** A predicate for the filters given, or undefined when none was (print everything). */
export function tailFilter(args: TailFilterArgs): ((record: TailRecord) => boolean) | undefined {
  const types = (args.type ?? [])
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  if (args.runId === undefined && args.tenant === undefined && types.length === 0) return undefined;
  return (record) =>
    (args.runId === undefined || runIdOf(record) === args.runId) &&
    (args.tenant === undefined || tenantOf(record) === args.tenant) &&
    (types.length === 0 || typesOf(record).some((t) => types.includes(t)));
}

/** Headers as one indented line for the text output of --headers. */
export function headersLine(headers: Readonly<Record<string, string>>): string {
  const entries = Object.entries(headers);
  return entries.length === 0 ? '  (no headers)' : `  ${entries.map(([k, v]) => `${k}=${v}`).join('  ')}`;
}

import type { z } from 'zod';
import type { TopicRole } from '../../vocabulary.js';
import type { MessageForRole } from '../registry.js';
import type { DeadLetterCause, FailedRecord } from '../dead-letter.js';
import type { EncodedRecord, EncodeOptions, RawRecord } from '../serdes.js';
import type { DialectName } from '../../vocabulary.js';

/** Topic roles whose values are messages of their own (the dlq carries other records). */
export type MessageRole = Exclude<TopicRole, 'dlq'>;

/**
 * One field translated between a dialect's wire form and the harness' canonical messages (the README's
 * types). `lossy` when the other side cannot say the same thing (a round trip would not give it back).
 */
export interface MappingNote {
  /** The field as the wire names it (`status`, `executionToken`, `error.context`). */
  readonly field: string;
  readonly from?: unknown;
  readonly to?: unknown;
  readonly note: string;
  readonly lossy: boolean;
}

/** Stable names of the ways a record can deviate from a dialect (conformance reports group by these). */
export const DEVIATION_RULES = [
  'value.not-json', // tombstone, not UTF-8, not JSON
  'value.not-object', // JSON, but not an object
  'value.too-large', // a value over the dialect's size limit (upstream tasks: the dispatcher's 1 MiB)
  'field.required', // a field the dialect requires is missing or null
  'field.type', // wrong JSON type
  'field.enum', // a name outside the dialect's vocabulary (status, eventType, …)
  'field.range', // too short, too long, too small, too big
  'field.format', // instant, duration, or another textual format
  'field.task-id', // taskId ≠ runId:nodeId:attempt
  'field.tenant-id', // upstream events: the run's tenant on WorkflowStarted, "system" on every other event
  'field.event-data', // upstream events: eventData echoes eventType, eventId, runId, occurredAt (+ NodeCompleted/NodeFailed fields)
  'field.name', // the other dialect's name for a field (e.g. executionToken in the README dialect)
  'key.missing', // the dialect keys this topic, the record has no key
  'key.mismatch', // the key is not the field the dialect keys by
  'header.message-type', // gamelan-message-type names another message
] as const;
export type DeviationRule = (typeof DEVIATION_RULES)[number];

/** One way a record does not follow a dialect. */
export interface Deviation {
  readonly rule: DeviationRule;
  /** JSON path (`$.status`), `key`, `value` or a header name. */
  readonly field: string;
  /** What is wrong and what the dialect allows. */
  readonly message: string;
}

/** How a dialect keys the records of a topic role. */
export type KeyRule =
  | { readonly kind: 'field'; readonly field: string }
  /** Written without a key; any key is read. */
  | { readonly kind: 'none'; readonly why: string }
  /** A dead letter keeps the key of the original record. */
  | { readonly kind: 'original' };

/** A record read in one dialect: the canonical message plus what was translated to get it. */
export interface DialectRecord<R extends TopicRole = TopicRole> {
  readonly dialect: DialectName;
  /** The harness' canonical message (the README's types, upstream-only fields kept). */
  readonly message: MessageForRole<R>;
  /** The value as the dialect defines it (its own field names and vocabulary), validated. */
  readonly wire: Readonly<Record<string, unknown>>;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Fields translated from the wire to the canonical message (empty for a README record in spec). */
  readonly mapped: readonly MappingNote[];
  /** Deviations from the dialect that did not stop reading (a wrong key in upstream, an upstream name in spec). */
  readonly deviations: readonly Deviation[];
}

export type DialectReadResult<R extends TopicRole = TopicRole> =
  | { readonly ok: true; readonly record: DialectRecord<R> }
  | {
      readonly ok: false;
      /** The dialect tried (strict), or `neither` when auto-detection found no dialect that reads it. */
      readonly dialect: DialectName | 'neither';
      /** Why each dialect tried could not read it. */
      readonly reasons: Partial<Record<DialectName, readonly Deviation[]>>;
    };

/** A canonical message written in one dialect, and what the writing lost or renamed. */
export interface DialectEncoded {
  readonly record: EncodedRecord;
  readonly mapped: readonly MappingNote[];
}

/** A record of the dlq topic, as read (the timestamp becomes `failedAt` when the value does not say). */
export type DeadLetterInput = RawRecord & {
  readonly timestamp?: string | number | undefined;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string | number;
};

/** One message type as a dialect defines it. */
export interface DialectMessage {
  /** Java class name (JSON Schema file name). */
  readonly name: string;
  /** The wire definition: zod codec, its JSON Schema generated from it. */
  readonly schema: z.ZodType;
  /** Field names read but not written (spec: the upstream names it tolerates). */
  readonly aliases: Readonly<Record<string, string>>;
  readonly key: KeyRule;
  /** Optional fields written only when set (never as null): upstream-only fields the README lacks. */
  readonly keptFields?: readonly string[];
  /**
   * What the dialect's writer always does beyond the schema (upstream events: tenant and eventData): deviations
   * that are reported (check, conformance, a read's `deviations`) but do not stop reading.
   */
  readonly conventions?: (wire: Record<string, unknown>) => Deviation[];
  /** The largest value (bytes) the dialect's writer sends, and who refuses a larger one; none when unbounded. */
  readonly maxValueBytes?: { readonly bytes: number; readonly by: string };
}

/** Per-record context a mapping may use (e.g. the record timestamp for a missing instant). */
export interface MappingContext {
  /** Record timestamp, epoch ms. */
  readonly timestamp?: number | undefined;
}

/**
 * A wire dialect, as data plus the functions that read and write it. Everything that reads or writes Kafka
 * (tail, dlq, recorder, conformance; later engine, executors, contract) takes one of these.
 */
export interface Dialect {
  readonly name: DialectName;
  readonly title: string;
  /** Default topic of each role (overridable by configuration). */
  readonly topics: Readonly<Record<TopicRole, string>>;
  readonly messages: Readonly<Record<TopicRole, DialectMessage>>;
  /** Result statuses this dialect writes and reads, and which one means success. */
  readonly resultStatuses: readonly string[];
  readonly successStatus: string;
  readonly failureStatus: string;
  /** Run statuses on the status topic; undefined = free text. */
  readonly runStatuses: readonly string[] | undefined;
  /** Event types on the events topic; undefined = free text. */
  readonly eventTypes: readonly string[] | undefined;
  /** The token field's name on tasks and results. */
  readonly tokenField: 'token' | 'executionToken';
  /** Every deviation of a record from this dialect (empty when it conforms). Never throws. */
  check(role: MessageRole, record: RawRecord): readonly Deviation[];
  /** Read a record: the canonical message with mapping notes, or the deviations that stop reading. Never throws. */
  read<R extends MessageRole>(
    role: R,
    record: RawRecord & { readonly timestamp?: string | number | undefined },
  ): DialectReadResult<R>;
  /** Write a canonical message in this dialect (key, value, headers). Throws ProtocolError when it cannot be said. */
  encode<R extends MessageRole>(role: R, message: MessageForRole<R>, options?: EncodeOptions): DialectEncoded;
  /** The wire object of a canonical message, with what was renamed or lost. Throws ProtocolError when it cannot be said. */
  toWire<R extends MessageRole>(
    role: R,
    message: MessageForRole<R>,
  ): { readonly wire: Record<string, unknown>; readonly mapped: readonly MappingNote[] };
  /** The canonical message of a valid wire object. */
  fromWire<R extends MessageRole>(
    role: R,
    wire: Record<string, unknown>,
    context?: MappingContext,
  ): { readonly message: MessageForRole<R>; readonly mapped: readonly MappingNote[] };
  /** Read a dead-letter record in this dialect's form(s). */
  readDeadLetter(record: DeadLetterInput): DialectReadResult<'dlq'>;
  /** The dead-letter record this dialect writes for a record that failed (spec: Spring headers; upstream: the Java JSON). */
  deadLetter(failed: FailedRecord, cause: DeadLetterCause, now?: Date): EncodedRecord;
}

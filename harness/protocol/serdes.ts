import type { TopicRole } from '../vocabulary.js';
import { keyFor, keyMismatch } from './keys.js';
import { type MessageForRole, messageDefinition, ROLE_MESSAGE_TYPES, SCHEMA_VERSION } from './registry.js';
import { createTraceparent, parseTraceparent } from './trace.js';
import { type DecodeResult, decodeMessage, encodeMessage, type MessageFailure, messageFailure } from './validate.js';

// Serdes: a message ⇄ a Kafka record (key, JSON UTF-8 value, headers). Independent of kafkajs so the
// recorder and tests can use it on any record shape.

/** Headers on every record the harness writes. */
export const HEADERS = {
  contentType: 'content-type',
  messageType: 'gamelan-message-type',
  schemaVersion: 'gamelan-schema-version',
  traceparent: 'traceparent',
} as const;

export const CONTENT_TYPE = 'application/json';

/** Header values as kafkajs hands them over (and accepts them). */
export type RawHeaders = Readonly<Record<string, Buffer | string | ReadonlyArray<Buffer | string> | undefined>>;

/** A record to produce. */
export interface EncodedRecord {
  readonly key: Buffer | string | null;
  /** JSON UTF-8; null only for a dead letter of a tombstone. */
  readonly value: Buffer | null;
  readonly headers: Record<string, string | Buffer>;
}

/** A consumed record, or anything shaped like one. */
export interface RawRecord {
  readonly key: Buffer | string | null | undefined;
  readonly value: Buffer | string | null | undefined;
  readonly headers?: RawHeaders | undefined;
}

export interface EncodeOptions {
  /** W3C traceparent to send; default: a new root trace. Pass `childTraceparent(received)` to continue a trace. */
  readonly traceparent?: string | undefined;
  /** Extra headers (the protocol headers win on a name clash). */
  readonly headers?: Readonly<Record<string, string | Buffer>> | undefined;
}

export interface DecodedRecord<T> {
  readonly message: T;
  readonly key: string | null;
  /** Headers as UTF-8 text (the last value of a repeated header). */
  readonly headers: Readonly<Record<string, string>>;
  /** The record's traceparent when it carries a valid one. */
  readonly traceparent: string | undefined;
}

/** Encode a message for a topic role: key by role, JSON UTF-8 value, the protocol headers. */
export function encodeRecord<R extends Exclude<TopicRole, 'dlq'>>(
  role: R,
  message: MessageForRole<R>,
  options: EncodeOptions = {},
): EncodedRecord {
  const type = ROLE_MESSAGE_TYPES[role];
  const json = encodeMessage(type, message);
  const traceparent = parseTraceparent(options.traceparent) ? options.traceparent! : createTraceparent();
  return {
    key: keyFor(role, message),
    value: Buffer.from(JSON.stringify(json), 'utf8'),
    headers: { ...options.headers, ...protocolHeaders(type, traceparent) },
  };
}

export function protocolHeaders(messageType: string, traceparent: string): Record<string, string> {
  return {
    [HEADERS.contentType]: CONTENT_TYPE,
    [HEADERS.messageType]: messageType,
    [HEADERS.schemaVersion]: SCHEMA_VERSION,
    [HEADERS.traceparent]: traceparent,
  };
}

/** Header values as UTF-8 text; for repeated headers the last value wins (Kafka's `lastHeader`). */
export function headersToText(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) out[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return out;
}

export function keyToText(key: Buffer | string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  return typeof key === 'string' ? key : key.toString('utf8');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode a record of a topic role: the validated message with its key, headers and traceparent, or a typed
 * failure — MESSAGE_DECODE_FAILED (no value, not UTF-8, not JSON), MESSAGE_INVALID (schema, with the JSON
 * path; or a `gamelan-message-type` header naming another type), MESSAGE_KEY_INVALID (missing key, or
 * key ≠ runId / tenantId). Never throws.
 */
export function decodeRecord<R extends Exclude<TopicRole, 'dlq'>>(
  role: R,
  record: RawRecord,
): DecodeResult<DecodedRecord<MessageForRole<R>>> {
  const type = ROLE_MESSAGE_TYPES[role];
  const { value } = record;
  if (value === null || value === undefined) {
    return fail(
      messageFailure(
        'MESSAGE_DECODE_FAILED',
        type,
        undefined,
        `record has no value (a tombstone); expected a UTF-8 JSON ${type}`,
      ),
    );
  }
  let text: string;
  try {
    text = typeof value === 'string' ? value : strictUtf8.decode(value);
  } catch (cause) {
    return fail(
      messageFailure(
        'MESSAGE_DECODE_FAILED',
        type,
        undefined,
        `value is not valid UTF-8; expected a UTF-8 JSON ${type}`,
        undefined,
        cause,
      ),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return fail(
      messageFailure(
        'MESSAGE_DECODE_FAILED',
        type,
        undefined,
        `value is not JSON (${(cause as Error).message}); expected a JSON ${type}`,
        undefined,
        cause,
      ),
    );
  }
  const headers = headersToText(record.headers);
  const declared = headers[HEADERS.messageType];
  if (declared !== undefined && declared !== type) {
    return fail(
      messageFailure(
        'MESSAGE_INVALID',
        type,
        undefined,
        `header ${HEADERS.messageType} is "${declared}" but the ${role} topic carries ${type}`,
        declared,
      ),
    );
  }
  const decoded = decodeMessage(type, json);
  if (!decoded.ok) return decoded;
  const key = keyToText(record.key);
  const mismatch = keyMismatch(role, decoded.message as MessageForRole<R>, key);
  if (mismatch !== undefined) {
    return fail(messageFailure('MESSAGE_KEY_INVALID', type, `$.${messageDefinition(type).keyField}`, mismatch, key));
  }
  const traceparent = parseTraceparent(headers[HEADERS.traceparent]) ? headers[HEADERS.traceparent] : undefined;
  return { ok: true, message: { message: decoded.message as MessageForRole<R>, key, headers, traceparent } };
}

const fail = (failure: MessageFailure) => ({ ok: false, failure }) as const;

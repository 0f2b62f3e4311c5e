import { parseTraceparent } from '../trace.js';
import {
  type DecodedRecord,
  decodeRecord,
  type EncodedRecord,
  type EncodeOptions,
  HEADERS,
  type RawRecord,
} from '../serdes.js';
import { type DecodeResult, messageFailure, type ProtocolFailureCode } from '../validate.js';
import { type MessageForRole, ROLE_MESSAGE_TYPES } from '../registry.js';
import { dialectNamed } from './read.js';
import type { DialectName } from '../../vocabulary.js';
import type { Deviation, MessageRole } from './types.js';

// The protocol clients' codec in one dialect: what encodeRecord/decodeRecord are for the README, for any
// dialect. `spec` goes through encodeRecord/decodeRecord unchanged (same bytes, same failures); another
// dialect writes its own wire and reads it back to the canonical (README-typed) messages the engine,
// executors and matchers work with.

/** Encode a canonical message as a record of `dialect` (key, value, headers). Throws ProtocolError when it cannot be said. */
export function encodeRecordIn<R extends MessageRole>(
  dialect: DialectName,
  role: R,
  message: MessageForRole<R>,
  options: EncodeOptions = {},
): EncodedRecord {
  return dialectNamed(dialect).encode(role, message, options).record;
}

const failureCode = (deviation: Deviation | undefined): ProtocolFailureCode => {
  if (deviation?.rule === 'value.not-json') return 'MESSAGE_DECODE_FAILED';
  if (deviation?.rule === 'key.missing' || deviation?.rule === 'key.mismatch') return 'MESSAGE_KEY_INVALID';
  return 'MESSAGE_INVALID';
};

/**
 * Decode a record of `dialect` to its canonical message, or a typed failure (MESSAGE_DECODE_FAILED,
 * MESSAGE_INVALID, MESSAGE_KEY_INVALID) naming the first deviation that stopped reading. Never throws.
 */
export function decodeRecordIn<R extends MessageRole>(
  dialect: DialectName,
  role: R,
  record: RawRecord & { readonly timestamp?: string | number | undefined },
): DecodeResult<DecodedRecord<MessageForRole<R>>> {
  if (dialect === 'spec') return decodeRecord(role, record);
  const read = dialectNamed(dialect).read(role, record);
  if (!read.ok) {
    const deviations = read.reasons[dialect] ?? [];
    const first = deviations.find((d) => d.rule !== 'field.name') ?? deviations[0];
    const path = first && first.field.startsWith('$') ? first.field : undefined;
    const text = first?.message ?? 'unreadable';
    const reason = `${path !== undefined && text.startsWith(`${path}: `) ? text.slice(path.length + 2) : text} (${dialect} dialect)`;
    return { ok: false, failure: messageFailure(failureCode(first), ROLE_MESSAGE_TYPES[role], path, reason) };
  }
  const traceparent = read.record.headers[HEADERS.traceparent];
  return {
    ok: true,
    message: {
      message: read.record.message,
      key: read.record.key,
      headers: read.record.headers,
      traceparent: parseTraceparent(traceparent) ? traceparent : undefined,
    },
  };
}

import { decodeRecord, readDeadLetterRecord } from '../protocol/index.js';
import { describeReadFailure, readRecordIn } from '../protocol/dialects/read.js';
import type { ReadDialect } from '../vocabulary.js';
import type { RecordDecoder } from './types.js';

/** The protocol's validating decoder, as the recorder needs it (dead letters are read from their headers). */
export const decodeForRecorder: RecordDecoder = (role, record) => {
  if (role === 'dlq') {
    const letter = readDeadLetterRecord({ topic: '', partition: 0, offset: 0, ...record });
    return letter.ok
      ? { ok: true, value: letter.message }
      : { ok: false, reason: `${letter.failure.path ?? '$'}: ${letter.failure.reason}` };
  }
  const decoded = decodeRecord(role, record);
  return decoded.ok
    ? { ok: true, value: decoded.message.message }
    : { ok: false, reason: `${decoded.failure.code} ${decoded.failure.path ?? ''} ${decoded.failure.reason}`.trim() };
};

/**
 * A recorder decoder for a dialect (`spec` is `decodeForRecorder`, unchanged). The value is the canonical
 * (README-typed) message; the result also carries `dialect` (which one read it) and `mapped` (what was
 * translated), so a flow recorded from an upstream engine can be matched with the same matchers.
 */
export function recordDecoderFor(dialect: ReadDialect): RecordDecoder {
  if (dialect === 'spec') return decodeForRecorder;
  return (role, record) => {
    const read = readRecordIn(role, record, dialect);
    if (!read.ok)
      return {
        ok: false,
        reason: `${read.dialect === 'neither' ? 'neither dialect reads it' : `not ${read.dialect}`}: ${describeReadFailure(read)}`,
      };
    const result = {
      ok: true as const,
      value: read.record.message,
      dialect: read.record.dialect,
      mapped: read.record.mapped,
    };
    return result;
  };
}

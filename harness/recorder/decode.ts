import { decodeRecord, readDeadLetterRecord } from '../protocol/index.js';
import type { RecordDecoder } from './types.js';

/** The protocol's validating decoder, as the recorder needs it (dead letters are read from their headers). */
export const decodeForRecorder: RecordDecoder = (role, record) => {
  if (role === 'dlq') {
    const letter = readDeadLetterRecord({ topic: '', partition: 0, offset: 0, ...record });
    return letter.ok ? { ok: true, value: letter.message } : { ok: false, reason: `${letter.failure.path ?? '$'}: ${letter.failure.reason}` };
  }
  const decoded = decodeRecord(role, record);
  return decoded.ok ? { ok: true, value: decoded.message.message } : { ok: false, reason: `${decoded.failure.code} ${decoded.failure.path ?? ''} ${decoded.failure.reason}`.trim() };
};

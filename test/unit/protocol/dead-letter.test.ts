import { describe, expect, it } from 'vitest';
import { buildDeadLetter, buildTask } from '../../../fixtures/builders/index.js';
import {
  deadLetterRecord,
  deadLetterRecordFromMessage,
  DLT_HEADERS,
  encodeMessage,
  encodeRecord,
  readDeadLetterRecord,
} from '../../../harness/protocol/index.js';

const failed = {
  topic: 'gamelan.workflow-tasks',
  partition: 2,
  offset: '1042',
  timestamp: '1714558530123',
  key: Buffer.from('run-1'),
  value: Buffer.from([0xff, 0x00, 0x7b]),
  headers: { traceparent: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') },
};
const cause = {
  reason: 'MESSAGE_DECODE_FAILED',
  errorClass: 'ProtocolError',
  message: 'TaskMessage: value is not valid UTF-8',
  consumerGroup: 'gamelan-executors',
  messageType: 'TaskMessage',
  stack: 'ProtocolError: …',
};

describe('dead-letter records', () => {
  it('keep key and value bytes unchanged and the original headers', () => {
    const record = deadLetterRecord(failed, cause);
    expect(record.key).toEqual(failed.key);
    expect(Buffer.compare(record.value!, failed.value)).toBe(0);
    expect(record.headers.traceparent).toEqual(failed.headers.traceparent);
  });

  it('write Spring DeadLetterPublishingRecoverer headers with Spring encodings', () => {
    const h = deadLetterRecord(failed, cause).headers;
    expect(h[DLT_HEADERS.originalTopic]).toBe('gamelan.workflow-tasks');
    expect((h[DLT_HEADERS.originalPartition] as Buffer).readInt32BE()).toBe(2);
    expect((h[DLT_HEADERS.originalPartition] as Buffer).length).toBe(4);
    expect((h[DLT_HEADERS.originalOffset] as Buffer).readBigInt64BE()).toBe(1042n);
    expect((h[DLT_HEADERS.originalTimestamp] as Buffer).readBigInt64BE()).toBe(1714558530123n);
    expect(h[DLT_HEADERS.originalConsumerGroup]).toBe('gamelan-executors');
    expect(h[DLT_HEADERS.exceptionFqcn]).toBe('ProtocolError');
    expect(h[DLT_HEADERS.exceptionMessage]).toBe('TaskMessage: value is not valid UTF-8');
    expect(h[DLT_HEADERS.originalKey]).toEqual(Buffer.from('run-1'));
    expect(h[DLT_HEADERS.reason]).toBe('MESSAGE_DECODE_FAILED');
  });

  it('read back as a DeadLetterMessage (binary payload as base64)', () => {
    const record = deadLetterRecord(failed, cause);
    const read = readDeadLetterRecord({
      ...record,
      topic: 'gamelan.dead-letter-queue',
      partition: 0,
      offset: '7',
      timestamp: '1714558531000',
    });
    expect(read.ok && read.message).toMatchObject({
      originalTopic: 'gamelan.workflow-tasks',
      originalPartition: 2,
      originalOffset: 1042,
      originalKey: 'run-1',
      originalTimestamp: '2024-05-01T10:15:30.123Z',
      consumerGroup: 'gamelan-executors',
      messageType: 'TaskMessage',
      reason: 'MESSAGE_DECODE_FAILED',
      errorClass: 'ProtocolError',
      payload: Buffer.from([0xff, 0x00, 0x7b]).toString('base64'),
      payloadEncoding: 'base64',
      failedAt: '2024-05-01T10:15:31Z',
    });
  });

  it('a DeadLetterMessage → record → DeadLetterMessage round-trips', () => {
    const message = buildDeadLetter({}, { seed: 7 });
    const record = deadLetterRecordFromMessage(message);
    const failedAtMs = Date.parse(message.failedAt);
    const read = readDeadLetterRecord({ ...record, topic: 'dlq', partition: 0, offset: 0, timestamp: failedAtMs });
    expect(read.ok && read.message).toEqual({ ...message, originalTimestampType: undefined });
  });

  it('reads a JSON DeadLetterMessage value without kafka_dlt headers (Java publisher)', () => {
    const message = buildDeadLetter({}, { seed: 3 });
    const read = readDeadLetterRecord({
      topic: 'dlq',
      partition: 0,
      offset: 0,
      timestamp: 0,
      key: message.originalKey ?? null,
      value: Buffer.from(JSON.stringify(encodeMessage('DeadLetterMessage', message))),
    });
    expect(read.ok && read.message).toEqual(message);
  });

  it('a tombstone is dead-lettered as a tombstone', () => {
    const record = deadLetterRecord({ ...failed, value: null }, cause);
    expect(record.value).toBeNull();
    const read = readDeadLetterRecord({ ...record, topic: 'dlq', partition: 0, offset: 0, timestamp: 0 });
    expect(read.ok && read.message.payload).toBeNull();
  });

  it('uses the original record unchanged even for a valid-looking record', () => {
    const encoded = encodeRecord('tasks', buildTask());
    const record = deadLetterRecord(
      { ...failed, key: encoded.key, value: encoded.value, headers: encoded.headers },
      cause,
    );
    expect(record.value!.equals(encoded.value!)).toBe(true);
  });
});

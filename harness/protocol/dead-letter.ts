import type { DeadLetterMessage } from './messages/dead-letter-message.js';
import { formatInstant } from './wire.js';
import { type EncodedRecord, headersToText, keyToText, type RawHeaders } from './serdes.js';
import { type DecodeResult, decodeMessage, encodeMessage, messageFailure } from './validate.js';

// The dead-letter record: the original record (key and value bytes unchanged, original headers kept) plus
// Spring Kafka's DeadLetterPublishingRecoverer headers, with Spring's encodings (int32/int64 big-endian for
// partition/offset/timestamp, UTF-8 text for the rest), so Spring and plain-Java DLT tooling can read it.

/** Spring Kafka's `KafkaHeaders.DLT_*` names, and the harness' own additions (prefix `gamelan-dlt-`). */
export const DLT_HEADERS = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalTimestampType: 'kafka_dlt-original-timestamp-type',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionFqcn: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
  // Harness extensions: Spring keeps the key only as the record key; a header makes "no key" explicit.
  originalKey: 'gamelan-dlt-original-key',
  reason: 'gamelan-dlt-reason',
  errorPath: 'gamelan-dlt-error-path',
  messageType: 'gamelan-dlt-message-type',
  payloadEncoding: 'gamelan-dlt-payload-encoding',
} as const;

/** The record that failed, as the consumer saw it. */
export interface FailedRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset (kafkajs gives it as a string). */
  readonly offset: string | number;
  /** Epoch milliseconds (kafkajs gives it as a string). */
  readonly timestamp: string | number;
  readonly key: Buffer | string | null | undefined;
  readonly value: Buffer | string | null | undefined;
  readonly headers?: RawHeaders | undefined;
}

export interface DeadLetterCause {
  readonly reason: string;
  /** Error class name, e.g. `ProtocolError` (Spring writes a Java FQCN here). */
  readonly errorClass: string;
  readonly message: string;
  readonly path?: string | undefined;
  readonly stack?: string | undefined;
  /** The consumer group that failed to process the record. */
  readonly consumerGroup?: string | undefined;
  /** The message type expected on the original topic. */
  readonly messageType?: string | undefined;
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int64 = (n: string | number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const toBuffer = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

/** Build the dead-letter record for a record that failed: same key and value bytes, original headers, DLT headers. */
export function deadLetterRecord(failed: FailedRecord, cause: DeadLetterCause): EncodedRecord {
  const headers: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(failed.headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined && !name.startsWith('kafka_dlt-') && !name.startsWith('gamelan-dlt-'))
      headers[name] = toBuffer(last as Buffer | string);
  }
  headers[DLT_HEADERS.originalTopic] = failed.topic;
  headers[DLT_HEADERS.originalPartition] = int32(failed.partition);
  headers[DLT_HEADERS.originalOffset] = int64(failed.offset);
  headers[DLT_HEADERS.originalTimestamp] = int64(failed.timestamp);
  if (cause.consumerGroup !== undefined) headers[DLT_HEADERS.originalConsumerGroup] = cause.consumerGroup;
  headers[DLT_HEADERS.exceptionFqcn] = cause.errorClass;
  headers[DLT_HEADERS.exceptionMessage] = cause.message;
  if (cause.stack !== undefined) headers[DLT_HEADERS.exceptionStacktrace] = cause.stack;
  const key = failed.key === undefined ? null : failed.key;
  if (key !== null) headers[DLT_HEADERS.originalKey] = toBuffer(key);
  headers[DLT_HEADERS.reason] = cause.reason;
  if (cause.path !== undefined) headers[DLT_HEADERS.errorPath] = cause.path;
  if (cause.messageType !== undefined) headers[DLT_HEADERS.messageType] = cause.messageType;
  const value = failed.value === null || failed.value === undefined ? null : toBuffer(failed.value);
  return { key, value, headers };
}

/** The dead-letter record for a DeadLetterMessage (payload decoded back to the original bytes). */
export function deadLetterRecordFromMessage(message: DeadLetterMessage): EncodedRecord {
  encodeMessage('DeadLetterMessage', message); // validates
  const payload =
    message.payload === null
      ? null
      : Buffer.from(message.payload, message.payloadEncoding === 'base64' ? 'base64' : 'utf8');
  const record = deadLetterRecord(
    {
      topic: message.originalTopic,
      partition: message.originalPartition ?? -1,
      offset: message.originalOffset ?? -1,
      timestamp: message.originalTimestamp === undefined ? -1 : Date.parse(message.originalTimestamp),
      key: message.originalKey ?? null,
      value: payload,
    },
    {
      reason: message.reason,
      errorClass: message.errorClass,
      message: message.cause,
      path: message.errorPath,
      consumerGroup: message.consumerGroup,
      messageType: message.messageType,
    },
  );
  return record;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function rawHeader(headers: RawHeaders | undefined, name: string): Buffer | undefined {
  const value = headers?.[name];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last === undefined ? undefined : toBuffer(last as Buffer | string);
}

function readInt(buffer: Buffer | undefined): number | undefined {
  if (buffer?.length === 4) return buffer.readInt32BE();
  if (buffer?.length === 8) return Number(buffer.readBigInt64BE());
  return undefined;
}

/**
 * Read a record of the dlq topic as a DeadLetterMessage: from the `kafka_dlt-*` headers and the original
 * bytes, or — without those headers — from a JSON DeadLetterMessage value (a Java service publishing the
 * spec's DeadLetterMessage class). `record.timestamp` (epoch ms) becomes `failedAt`.
 */
export function readDeadLetterRecord(record: FailedRecord): DecodeResult<DeadLetterMessage> {
  const text = headersToText(record.headers);
  const topic = text[DLT_HEADERS.originalTopic];
  if (topic === undefined) {
    let json: unknown;
    try {
      const value = record.value;
      json = JSON.parse(
        value === null || value === undefined ? 'null' : typeof value === 'string' ? value : strictUtf8.decode(value),
      );
    } catch (cause) {
      return {
        ok: false,
        failure: messageFailure(
          'MESSAGE_DECODE_FAILED',
          'DeadLetterMessage',
          undefined,
          `record has no ${DLT_HEADERS.originalTopic} header and its value is not a JSON DeadLetterMessage`,
          undefined,
          cause,
        ),
      };
    }
    return decodeMessage('DeadLetterMessage', json);
  }
  const value = record.value === null || record.value === undefined ? null : toBuffer(record.value);
  let payload: string | null = null;
  let payloadEncoding: 'utf-8' | 'base64' = 'utf-8';
  if (value !== null) {
    try {
      payload = strictUtf8.decode(value);
    } catch {
      payload = value.toString('base64');
      payloadEncoding = 'base64';
    }
  }
  const timestamp = readInt(rawHeader(record.headers, DLT_HEADERS.originalTimestamp));
  const partition = readInt(rawHeader(record.headers, DLT_HEADERS.originalPartition));
  const offset = readInt(rawHeader(record.headers, DLT_HEADERS.originalOffset));
  const failedAtMs = Number(record.timestamp);
  return decodeMessage('DeadLetterMessage', {
    originalTopic: topic,
    originalPartition: partition !== undefined && partition >= 0 ? partition : null,
    originalOffset: offset !== undefined && offset >= 0 ? offset : null,
    originalKey: text[DLT_HEADERS.originalKey] ?? keyToText(record.key),
    originalTimestamp:
      timestamp !== undefined && timestamp >= 0
        ? formatInstant(Math.floor(timestamp / 1000), (timestamp % 1000) * 1e6)
        : null,
    originalTimestampType: text[DLT_HEADERS.originalTimestampType] ?? null,
    consumerGroup: text[DLT_HEADERS.originalConsumerGroup] ?? null,
    messageType: text[DLT_HEADERS.messageType] ?? null,
    reason: text[DLT_HEADERS.reason] ?? 'UNKNOWN',
    errorClass: text[DLT_HEADERS.exceptionFqcn] ?? 'UNKNOWN',
    cause: text[DLT_HEADERS.exceptionMessage] ?? '',
    errorPath: text[DLT_HEADERS.errorPath] ?? null,
    payload,
    payloadEncoding,
    failedAt: formatInstant(Math.floor(failedAtMs / 1000), (failedAtMs % 1000) * 1e6),
  });
}

import type { TopicRole } from '../../../vocabulary.js';
import { ProtocolError } from '../../../errors.js';
import type { DeadLetterMessage } from '../../messages/dead-letter-message.js';
import { headersToText, keyToText, type RawHeaders } from '../../serdes.js';
import { createTraceparent, parseTraceparent } from '../../trace.js';
import { formatInstant, normalizeInstant } from '../../wire.js';
import { defineDialect, encodeWire, parseValue, schemaDeviations, sizeDeviation } from '../define.js';
import { DIALECT_TOPIC_DEFAULTS } from '../../../vocabulary.js';
import type { DeadLetterInput, Deviation, DialectMessage, DialectReadResult, MappingNote } from '../types.js';
import { eventConventionDeviations } from './events.js';
import {
  eventFromCanonical,
  eventToCanonical,
  resultFromCanonical,
  resultToCanonical,
  statusFromCanonical,
  statusToCanonical,
  taskFromCanonical,
  taskToCanonical,
} from './mapping.js';
import {
  DISPATCHER_MAX_MESSAGE_BYTES,
  NODE_EXECUTION_STATUSES,
  RUN_STATUSES,
  UPSTREAM_EVENT_TYPES,
  UpstreamDeadLetterMessageSchema,
  UpstreamStatusUpdateMessageSchema,
  UpstreamTaskMessageSchema,
  UpstreamTaskResultMessageSchema,
  UpstreamWorkflowEventMessageSchema,
  type UpstreamDeadLetterMessage,
} from './messages.js';

// What the Gamelan Java code puts on Kafka (shared/upstream/gamelan-java-kafka.md): the protocol module's
// records on the SmallRye channels, keyed by runId except events (sticky partitioner) and dead letters.

/** SmallRye Reactive Messaging's dead-letter-queue failure strategy headers (values are UTF-8 text). */
export const SMALLRYE_DLQ_HEADERS = {
  reason: 'dead-letter-reason',
  cause: 'dead-letter-cause',
  topic: 'dead-letter-topic',
  partition: 'dead-letter-partition',
  offset: 'dead-letter-offset',
} as const;

const messages: Record<TopicRole, DialectMessage> = {
  tasks: {
    name: 'TaskMessage',
    schema: UpstreamTaskMessageSchema,
    aliases: {},
    key: { kind: 'field', field: 'runId' },
    maxValueBytes: { bytes: DISPATCHER_MAX_MESSAGE_BYTES, by: 'the engine dispatcher (KafkaTaskDispatcher)' },
  },
  results: {
    name: 'TaskResultMessage',
    schema: UpstreamTaskResultMessageSchema,
    aliases: {},
    key: { kind: 'field', field: 'runId' },
  },
  events: {
    name: 'WorkflowEventMessage',
    schema: UpstreamWorkflowEventMessageSchema,
    aliases: {},
    conventions: (wire) => eventConventionDeviations(wire as never),
    key: {
      kind: 'none',
      why: "KafkaEventPublisher uses a plain emitter: no key, the Java client's sticky partitioner (no per-run order across partitions)",
    },
  },
  status: {
    name: 'StatusUpdateMessage',
    schema: UpstreamStatusUpdateMessageSchema,
    aliases: {},
    key: { kind: 'field', field: 'runId' },
  },
  dlq: {
    name: 'DeadLetterMessage',
    schema: UpstreamDeadLetterMessageSchema,
    aliases: {},
    key: { kind: 'none', why: 'KafkaDeadLetterHandler writes no key' },
  },
};

function headerInt(headers: RawHeaders | undefined, name: string): number | null {
  const raw = headers?.[name];
  const last = Array.isArray(raw) ? raw.at(-1) : raw;
  if (last === undefined) return null;
  const buffer = typeof last === 'string' ? Buffer.from(last, 'utf8') : (last as Buffer);
  const text = buffer.toString('utf8');
  if (/^\d+$/.test(text)) return Number(text); // SmallRye writes numbers as text
  if (buffer.length === 4) return buffer.readInt32BE();
  if (buffer.length === 8) return Number(buffer.readBigInt64BE());
  return null;
}

const instantOfMs = (ms: number) => formatInstant(Math.floor(ms / 1000), (ms % 1000) * 1e6);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function readSmallRye(record: DeadLetterInput, text: Record<string, string>): DialectReadResult<'dlq'> {
  const value =
    record.value === null || record.value === undefined
      ? null
      : typeof record.value === 'string'
        ? Buffer.from(record.value)
        : record.value;
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
  const reason = text[SMALLRYE_DLQ_HEADERS.reason] ?? '';
  const cause = text[SMALLRYE_DLQ_HEADERS.cause];
  const failedMs = Number(record.timestamp ?? Date.now());
  const message: DeadLetterMessage = {
    originalTopic: text[SMALLRYE_DLQ_HEADERS.topic]!,
    originalPartition: headerInt(record.headers, SMALLRYE_DLQ_HEADERS.partition) ?? undefined,
    originalOffset: headerInt(record.headers, SMALLRYE_DLQ_HEADERS.offset) ?? undefined,
    originalKey: keyToText(record.key) ?? undefined,
    originalTimestamp: undefined,
    originalTimestampType: undefined,
    consumerGroup: undefined,
    messageType: undefined,
    reason: 'HANDLER_FAILED',
    errorClass: 'UNKNOWN',
    cause: cause ? `${reason} (cause: ${cause})` : reason,
    errorPath: undefined,
    payload,
    payloadEncoding,
    failedAt: instantOfMs(Number.isFinite(failedMs) ? failedMs : 0),
  };
  const mapped: MappingNote[] = [
    {
      field: SMALLRYE_DLQ_HEADERS.reason,
      to: 'cause',
      note: 'SmallRye dead-letter-reason (and -cause) are the exception messages',
      lossy: false,
    },
    {
      field: 'reason',
      from: null,
      to: 'HANDLER_FAILED',
      note: 'SmallRye dead-letters a message its handler nacked',
      lossy: true,
    },
    { field: 'errorClass', from: null, to: 'UNKNOWN', note: 'SmallRye headers carry no exception class', lossy: true },
  ];
  return {
    ok: true,
    record: {
      dialect: 'upstream',
      message,
      wire: text,
      key: keyToText(record.key),
      headers: text,
      mapped,
      deviations: [],
    },
  };
}

function readJavaJson(record: DeadLetterInput, text: Record<string, string>): DialectReadResult<'dlq'> {
  const parsed = parseValue(record.value, 'DeadLetterMessage');
  if (!parsed.ok) return { ok: false, dialect: 'upstream', reasons: { upstream: [parsed.deviation] } };
  if (parsed.json === null || typeof parsed.json !== 'object' || Array.isArray(parsed.json)) {
    return {
      ok: false,
      dialect: 'upstream',
      reasons: {
        upstream: [{ rule: 'value.not-object', field: '$', message: '$: expected a JSON DeadLetterMessage object' }],
      },
    };
  }
  const checked = schemaDeviations(UpstreamDeadLetterMessageSchema, parsed.json as Record<string, unknown>, {});
  if (!checked.decoded) return { ok: false, dialect: 'upstream', reasons: { upstream: checked.deviations } };
  const w = checked.decoded as UpstreamDeadLetterMessage;
  const message: DeadLetterMessage = {
    originalTopic: w.originalTopic,
    originalPartition: undefined,
    originalOffset: undefined,
    originalKey: w.originalKey,
    originalTimestamp: undefined,
    originalTimestampType: undefined,
    consumerGroup: undefined,
    messageType: undefined,
    reason: 'UNKNOWN',
    errorClass: 'UNKNOWN',
    cause: w.errorMessage ?? '',
    errorPath: undefined,
    payload: w.originalValue ?? null,
    payloadEncoding: 'utf-8',
    failedAt: normalizeInstant(w.timestamp) ?? w.timestamp,
  };
  const mapped: MappingNote[] = [
    {
      field: 'originalValue',
      to: 'payload',
      note: 'Java toString() text of the failed value, not its bytes',
      lossy: true,
    },
    { field: 'errorMessage', to: 'cause', note: '"errorMessage" is "cause"', lossy: false },
    { field: 'timestamp', to: 'failedAt', note: '"timestamp" is "failedAt"', lossy: false },
    {
      field: 'reason',
      from: null,
      to: 'UNKNOWN',
      note: 'the Java DeadLetterMessage has no reason code or error class',
      lossy: true,
    },
  ];
  return {
    ok: true,
    record: {
      dialect: 'upstream',
      message,
      wire: w,
      key: keyToText(record.key),
      headers: text,
      mapped,
      deviations: [],
    },
  };
}

export const upstreamDialect = defineDialect({
  name: 'upstream',
  title: 'the Gamelan Java code',
  topics: DIALECT_TOPIC_DEFAULTS.upstream,
  messages,
  resultStatuses: NODE_EXECUTION_STATUSES,
  successStatus: 'COMPLETED',
  failureStatus: 'FAILED',
  runStatuses: RUN_STATUSES,
  eventTypes: UPSTREAM_EVENT_TYPES,
  tokenField: 'executionToken',
  keyDeviationsStopReading: false,
  toCanonical: {
    tasks: (w, context) => taskToCanonical(w as never, context),
    results: (w, context) => resultToCanonical(w as never, context),
    events: (w) => eventToCanonical(w as never),
    status: (w) => statusToCanonical(w as never),
  },
  fromCanonical: {
    tasks: taskFromCanonical,
    results: resultFromCanonical,
    events: eventFromCanonical,
    status: statusFromCanonical,
  },
  encodeRecord: (role, message, options = {}) => {
    const { wire, mapped } = upstreamDialect.toWire(role, message);
    const rule = messages[role].key;
    let key: string | null = null;
    if (rule.kind === 'field') {
      const value = wire[rule.field];
      if (typeof value !== 'string' || value === '') {
        throw new ProtocolError(
          'MESSAGE_KEY_INVALID',
          `${messages[role].name} has no ${rule.field} to key the record with (upstream keys ${role} by ${rule.field}).`,
          {
            path: `$.${rule.field}`,
            value,
          },
        );
      }
      key = value;
    }
    const value = Buffer.from(JSON.stringify(wire), 'utf8');
    const tooLarge = sizeDeviation(messages[role], value);
    if (tooLarge)
      throw new ProtocolError('MESSAGE_INVALID', `${tooLarge.message}: not sent. Make the task's context smaller.`, {
        path: 'value',
        value: value.length,
      });
    // The Java side writes no headers of its own; a W3C traceparent appears with quarkus-opentelemetry.
    const traceparent = parseTraceparent(options.traceparent) ? options.traceparent! : createTraceparent();
    return { record: { key, value, headers: { ...options.headers, traceparent } }, mapped };
  },
  // KafkaDeadLetterHandler's record: no key, originalValue as text (Java would write toString(); the bytes as
  // UTF-8 are the closest a non-Java writer can give), errorMessage, and the time it was dead-lettered.
  deadLetter: (failed, cause, now = new Date()) => {
    const text = (v: Buffer | string | null | undefined) =>
      v === null || v === undefined ? null : typeof v === 'string' ? v : v.toString('utf8');
    const wire = encodeWire(UpstreamDeadLetterMessageSchema, 'DeadLetterMessage', {
      originalTopic: failed.topic,
      originalKey: text(failed.key) ?? undefined,
      originalValue: text(failed.value) ?? undefined,
      errorMessage: cause.message,
      timestamp: now.toISOString(),
    });
    return { key: null, value: Buffer.from(JSON.stringify(wire), 'utf8'), headers: {} };
  },
  readDeadLetter: (record) => {
    const text = headersToText(record.headers);
    if (text[SMALLRYE_DLQ_HEADERS.topic] !== undefined) return readSmallRye(record, text);
    return readJavaJson(record, text);
  },
});

export type { Deviation };

// `gamelan-kafka-harness/protocol`: the Gamelan Kafka protocol as a library — messages (type, zod schema,
// JSON Schema from one definition), the two wire dialects, keys and the Java partitioner, serdes and headers,
// dead letters, traceparents, and the producers and consumers named as in the spec.

// Messages: one zod definition each gives the TypeScript type, the validator and the JSON Schema.
export {
  DEAD_LETTER_REASONS,
  DeadLetterMessageSchema,
  ErrorInfoSchema,
  EXECUTION_STATUSES,
  ExecutionStatusSchema,
  MESSAGE_DEFINITIONS,
  MESSAGE_TYPES,
  messageDefinition,
  ROLE_MESSAGE_TYPES,
  SCHEMA_VERSION,
  StatusUpdateMessageSchema,
  taskIdOf,
  TaskMessageSchema,
  TaskResultMessageSchema,
  WorkflowEventMessageSchema,
  type DeadLetterMessage,
  type DeadLetterReason,
  type ErrorInfo,
  type ExecutionStatus,
  type MessageDefinition,
  type MessageForRole,
  type MessageType,
  type StatusUpdateMessage,
  type TaskMessage,
  type TaskResultMessage,
  type WorkflowEventMessage,
} from '../protocol/index.js';

// Validation and serdes: JSON bytes ⇄ typed messages, with the protocol's headers.
export {
  CONTENT_TYPE,
  decodeMessage,
  decodeRecord,
  encodeMessage,
  encodeRecord,
  HEADERS,
  headersToText,
  parseMessage,
  type DecodedRecord,
  type DecodeResult,
  type EncodedRecord,
  type EncodeOptions,
  type MessageFailure,
  type RawHeaders,
  type RawRecord,
} from '../protocol/index.js';

// Keys and partitions (murmur2, as the Java client), instants and durations as a Quarkus/Jackson engine writes them, traceparents.
export {
  formatInstant,
  formatIsoDuration,
  keyFor,
  murmur2,
  normalizeInstant,
  parseIsoDuration,
  partitionForKey,
} from '../protocol/index.js';
export {
  childTraceparent,
  createTraceparent,
  formatTraceparent,
  parseTraceparent,
  type Traceparent,
} from '../protocol/index.js';

// Dead letters: the failed record plus Spring's kafka_dlt-* origin headers.
export {
  deadLetterRecord,
  deadLetterRecordFromMessage,
  DLT_HEADERS,
  readDeadLetterRecord,
  type DeadLetterCause,
  type FailedRecord,
} from '../protocol/index.js';

// JSON Schemas and AsyncAPI documents (per dialect).
export {
  asyncApiDocument,
  dialectAsyncApiDocument,
  dialectJsonSchemaFor,
  jsonSchemaFor,
  SCHEMA_NAMES,
  type SchemaName,
} from '../protocol/index.js';

// Wire dialects: the README (spec) and the Gamelan Java code (upstream); see the README's Dialects section.
export {
  decodeRecordIn,
  detectDialect,
  DIALECT_NAMES,
  dialectNamed,
  DIALECTS,
  encodeRecordIn,
  readRecordIn,
  specDialect,
  upstreamDialect,
  type Deviation,
  type DeviationRule,
  type Dialect,
  type DialectName,
  type DialectReadResult,
  type DialectRecord,
  type MappingNote,
  type ReadDialect,
} from '../protocol/index.js';

// Producers and consumers on the harness's Kafka client interface, named as in the spec and configured from gamelan.kafka.*.
export {
  DeadLetterHandler,
  DeadLetterPublisher,
  EventConsumer,
  EventPublisher,
  ResultConsumer,
  ResultProducer,
  StatusConsumer,
  StatusPublisher,
  TaskConsumer,
  TaskProducer,
  type ConsumerOptions,
  type MessageHandler,
  type PoisonStrategy,
  type ProducerOptions,
  type RecordContext,
  type SendOptions,
  type SentRecord,
} from '../clients/index.js';

// The workflow events the fake engine publishes, and how a recorder decodes records (FlowRecorderOptions.decode).
export { WORKFLOW_EVENT_TYPES } from '../engine/core.js';
export { decodeForRecorder, recordDecoderFor } from '../recorder/decode.js';

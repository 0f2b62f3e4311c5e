// The Gamelan Kafka protocol: message definitions (type, validation, JSON Schema from one zod schema each),
// Java wire conventions, keys and the Java-compatible partitioner, serdes, headers and dead letters.

export { EXECUTION_STATUSES, ExecutionStatusSchema, type ExecutionStatus } from './messages/execution-status.js';
export { ErrorInfoSchema, type ErrorInfo, type ErrorInfoWire } from './messages/error-info.js';
export {
  TASK_MESSAGE_ALIASES,
  TaskMessageSchema,
  taskIdOf,
  type TaskMessage,
  type TaskMessageWire,
} from './messages/task-message.js';
export {
  TASK_RESULT_MESSAGE_ALIASES,
  TaskResultMessageSchema,
  type TaskResultMessage,
  type TaskResultMessageWire,
} from './messages/task-result-message.js';
export {
  WORKFLOW_EVENT_MESSAGE_ALIASES,
  WorkflowEventMessageSchema,
  type WorkflowEventMessage,
  type WorkflowEventMessageWire,
} from './messages/workflow-event-message.js';
export {
  STATUS_UPDATE_MESSAGE_ALIASES,
  StatusUpdateMessageSchema,
  type StatusUpdateMessage,
  type StatusUpdateMessageWire,
} from './messages/status-update-message.js';
export {
  DEAD_LETTER_REASONS,
  DeadLetterMessageSchema,
  type DeadLetterMessage,
  type DeadLetterMessageWire,
  type DeadLetterReason,
} from './messages/dead-letter-message.js';
export {
  MESSAGE_DEFINITIONS,
  MESSAGE_TYPES,
  ROLE_MESSAGE_TYPES,
  SCHEMA_VERSION,
  messageDefinition,
  type MessageDefinition,
  type MessageForRole,
  type MessageType,
  type MessageTypes,
} from './registry.js';
export {
  MAX_IDENTIFIER_LENGTH,
  MAX_TOKEN_LENGTH,
  MIN_TOKEN_LENGTH,
  formatInstant,
  formatIsoDuration,
  instantAt,
  instantNow,
  normalizeInstant,
  parseIsoDuration,
} from './wire.js';
export {
  decodeMessage,
  encodeMessage,
  formatPath,
  parseMessage,
  type DecodeResult,
  type MessageFailure,
  type ProtocolFailureCode,
} from './validate.js';
export { KEY_FIELDS, keyFor, keyMismatch } from './keys.js';
export { murmur2, partitionForKey, toPositive } from './murmur2.js';
export { childTraceparent, createTraceparent, formatTraceparent, parseTraceparent, type Traceparent } from './trace.js';
export {
  CONTENT_TYPE,
  HEADERS,
  decodeRecord,
  encodeRecord,
  headersToText,
  type DecodedRecord,
  type EncodedRecord,
  type EncodeOptions,
  type RawHeaders,
  type RawRecord,
} from './serdes.js';
export {
  DLT_HEADERS,
  deadLetterRecord,
  deadLetterRecordFromMessage,
  readDeadLetterRecord,
  type DeadLetterCause,
  type FailedRecord,
} from './dead-letter.js';
export { SCHEMA_NAMES, asyncApiDocument, jsonSchemaFor, type SchemaName } from './schemas.js';
export { renderSchemaFiles, staleSchemaFiles, writeSchemaFiles } from './generate-schemas.js';
export {
  CHANNEL_ROLES,
  DEVIATION_RULES,
  DIALECTS,
  DIALECT_NAMES,
  DIALECT_TOPIC_DEFAULTS,
  EVENT_TYPE_NEAREST,
  EVENT_TYPE_PAIRS,
  NODE_EXECUTION_STATUSES,
  READ_DIALECTS,
  RESULT_STATUS_TO_UPSTREAM,
  RUN_STATUSES,
  SMALLRYE_DLQ_HEADERS,
  UNKNOWN_TENANT,
  UPSTREAM_CHANNELS,
  UPSTREAM_EVENT_TYPES,
  checkIn,
  decodeRecordIn,
  describeReadFailure,
  detectDialect,
  encodeRecordIn,
  dialectAsyncApiDocument,
  dialectJsonSchemaFor,
  dialectNamed,
  dialectSchemaNames,
  isDialectName,
  isReadDialect,
  readRecordIn,
  resultStatusFromUpstream,
  specDialect,
  upstreamDialect,
  type DeadLetterInput,
  type Deviation,
  type DeviationRule,
  type Dialect,
  type DialectEncoded,
  type DialectMessage,
  type DialectName,
  type DialectReadResult,
  type DialectRecord,
  type KeyRule,
  type MappingContext,
  type MappingNote,
  type MessageRole,
  type NodeExecutionStatus,
  type ReadDialect,
  type RunStatus,
  type UpstreamEventType,
} from './dialects/index.js';

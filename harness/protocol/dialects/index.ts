// Wire dialects: the protocol README (`spec`) and what the Gamelan Java code writes (`upstream`), each one
// definition (messages, keys, vocabularies, topic defaults) with its readers, writers and mappings.

export {
  DIALECT_NAMES,
  DIALECT_TOPIC_DEFAULTS,
  READ_DIALECTS,
  CHANNEL_ROLES,
  UPSTREAM_CHANNELS,
  isDialectName,
  isReadDialect,
  type DialectName,
  type ReadDialect,
} from '../../vocabulary.js';
export {
  DEVIATION_RULES,
  type DeadLetterInput,
  type Deviation,
  type DeviationRule,
  type Dialect,
  type DialectEncoded,
  type DialectMessage,
  type DialectReadResult,
  type DialectRecord,
  type KeyRule,
  type MappingContext,
  type MappingNote,
  type MessageRole,
} from './types.js';
export { specDialect } from './spec.js';
export { upstreamDialect, SMALLRYE_DLQ_HEADERS } from './upstream/index.js';
export {
  EVENT_TYPE_NEAREST,
  EVENT_TYPE_PAIRS,
  RESULT_STATUS_TO_UPSTREAM,
  UNKNOWN_TENANT,
  resultStatusFromUpstream,
} from './upstream/mapping.js';
export {
  NODE_EXECUTION_STATUSES,
  RUN_STATUSES,
  UPSTREAM_EVENT_TYPES,
  type NodeExecutionStatus,
  type RunStatus,
  type UpstreamEventType,
} from './upstream/messages.js';
export { decodeRecordIn, encodeRecordIn } from './codec.js';
export { DIALECTS, checkIn, describeReadFailure, detectDialect, dialectNamed, readRecordIn } from './read.js';
export { dialectSchemaNames, dialectJsonSchemaFor, dialectAsyncApiDocument } from './schemas.js';

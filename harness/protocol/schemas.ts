import { z } from 'zod';
import { DEFAULT_CONFIG, type GamelanKafkaConfig, retentionMs, topicNames } from '../config/index.js';
import { TOPIC_ROLES, type TopicRole } from '../vocabulary.js';
import { DLT_HEADERS } from './dead-letter.js';
import { KEY_FIELDS } from './keys.js';
import { ErrorInfoSchema } from './messages/error-info.js';
import { ExecutionStatusSchema } from './messages/execution-status.js';
import { MESSAGE_DEFINITIONS, MESSAGE_TYPES, ROLE_MESSAGE_TYPES, SCHEMA_VERSION } from './registry.js';
import { CONTENT_TYPE, HEADERS } from './serdes.js';

// JSON Schemas and the AsyncAPI 3.0 document, derived from the message definitions and the configuration.
// JSON Schemas describe the wire (input) side: what a reader accepts, upstream Java names included.

type JsonSchema = Record<string, unknown>;

/** Schemas published under schemas/json/, by name. */
export const SCHEMA_NAMES = [...MESSAGE_TYPES, 'ErrorInfo', 'ExecutionStatus'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The JSON Schema (draft-07, what AsyncAPI 3 requires support for) of a message or part. */
export function jsonSchemaFor(name: SchemaName): JsonSchema {
  const schema =
    name === 'ErrorInfo'
      ? ErrorInfoSchema
      : name === 'ExecutionStatus'
        ? ExecutionStatusSchema
        : MESSAGE_DEFINITIONS[name].schema;
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw' }) as JsonSchema;
  const definitions = (generated.definitions ?? {}) as Record<string, JsonSchema>;
  const root = definitions[name];
  if (!root) throw new Error(`zod did not produce a definition for ${name}`);
  if (name in MESSAGE_DEFINITIONS)
    addAliases(root, MESSAGE_DEFINITIONS[name as keyof typeof MESSAGE_DEFINITIONS].aliases);
  if (name === 'TaskMessage' || name === 'TaskResultMessage') {
    root.description = `${String(root.description)} taskId must equal "<runId>:<nodeId>:<attempt>".`;
  }
  const { [name]: _self, ...others } = definitions;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `urn:gamelan:kafka:${name}:${SCHEMA_VERSION}`,
    'x-gamelan-schema-version': SCHEMA_VERSION,
    ...root,
    ...(Object.keys(others).length ? { definitions: others } : {}),
  };
}

/**
 * Upstream Java record names the reader accepts: each becomes an alternative property with the same
 * schema, and a required field may be given under either name.
 */
function addAliases(root: JsonSchema, aliases: Readonly<Record<string, string>>): void {
  const properties = root.properties as Record<string, JsonSchema>;
  const required = new Set((root.required as string[] | undefined) ?? []);
  const alternatives: JsonSchema[] = [];
  for (const [alias, canonical] of Object.entries(aliases)) {
    const target = properties[canonical]!;
    properties[alias] = {
      ...target,
      description: `Upstream Java record name for "${canonical}": read, never written.`,
    };
    if (required.has(canonical)) {
      required.delete(canonical);
      alternatives.push({ anyOf: [{ required: [canonical] }, { required: [alias] }] });
    }
  }
  root.required = [...required];
  if (alternatives.length) root.allOf = alternatives;
}

const ROLE_DESCRIPTIONS: Record<TopicRole, string> = {
  tasks: 'Task assignments from the engine to executors. Executors of one group share the partitions.',
  results: 'Task results from executors back to the engine.',
  events: 'Workflow events (event sourcing, audit, projections).',
  status: 'Real-time status notifications, partitioned by tenant for multi-tenancy.',
  dlq: 'Records that could not be processed, for manual investigation.',
};

const PARTITIONING =
  'Partition = toPositive(murmur2(UTF-8 key bytes)) % partitions, the Java client default partitioner ' +
  '(Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions); records with the same key keep their order.';

const protocolHeadersSchema = (messageType: string): JsonSchema => ({
  type: 'object',
  properties: {
    [HEADERS.contentType]: { type: 'string', const: CONTENT_TYPE },
    [HEADERS.messageType]: { type: 'string', const: messageType },
    [HEADERS.schemaVersion]: { type: 'string', const: SCHEMA_VERSION },
    [HEADERS.traceparent]: {
      type: 'string',
      pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description: "W3C Trace Context; a task's trace is carried by its result and events (same trace-id).",
    },
  },
  required: [HEADERS.contentType, HEADERS.messageType, HEADERS.schemaVersion, HEADERS.traceparent],
});

const deadLetterHeadersSchema: JsonSchema = {
  type: 'object',
  description:
    "The original record's headers are kept; Spring Kafka DeadLetterPublishingRecoverer headers are added (binary encodings as Spring writes them).",
  properties: {
    [DLT_HEADERS.originalTopic]: { type: 'string', description: 'UTF-8 topic name.' },
    [DLT_HEADERS.originalPartition]: { description: 'int32, 4 bytes big-endian.' },
    [DLT_HEADERS.originalOffset]: { description: 'int64, 8 bytes big-endian.' },
    [DLT_HEADERS.originalTimestamp]: { description: 'int64 epoch milliseconds, 8 bytes big-endian.' },
    [DLT_HEADERS.originalConsumerGroup]: { type: 'string' },
    [DLT_HEADERS.exceptionFqcn]: { type: 'string', description: 'Error class, e.g. ProtocolError.' },
    [DLT_HEADERS.exceptionMessage]: { type: 'string', description: 'Error message with the JSON path of the problem.' },
    [DLT_HEADERS.exceptionStacktrace]: { type: 'string' },
    [DLT_HEADERS.originalKey]: {
      type: 'string',
      description: 'Harness extension: the original key; absent when there was none.',
    },
    [DLT_HEADERS.reason]: {
      type: 'string',
      description: 'Harness extension: MESSAGE_DECODE_FAILED, MESSAGE_INVALID, MESSAGE_KEY_INVALID or HANDLER_FAILED.',
    },
    [DLT_HEADERS.errorPath]: {
      type: 'string',
      description: 'Harness extension: JSON path of the offending field, e.g. $.attempt.',
    },
    [DLT_HEADERS.messageType]: {
      type: 'string',
      description: 'Harness extension: the message type expected on the original topic.',
    },
  },
  required: [
    DLT_HEADERS.originalTopic,
    DLT_HEADERS.originalPartition,
    DLT_HEADERS.originalOffset,
    DLT_HEADERS.originalTimestamp,
    DLT_HEADERS.exceptionFqcn,
    DLT_HEADERS.reason,
  ],
};

/** The AsyncAPI 3.0 document of the protocol for a configuration (topic names, partitions, retention). */
export function asyncApiDocument(config: GamelanKafkaConfig = DEFAULT_CONFIG): Record<string, unknown> {
  const topics = topicNames(config);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const role of TOPIC_ROLES) {
    const type = ROLE_MESSAGE_TYPES[role];
    const messageName = role === 'dlq' ? 'DeadLetterRecord' : type;
    const keyField = KEY_FIELDS[role];
    channels[role] = {
      address: topics[role],
      title: topics[role],
      description: `${ROLE_DESCRIPTIONS[role]} Key: ${role === 'dlq' ? 'the original record key' : keyField}. ${PARTITIONING}`,
      messages: { [messageName]: { $ref: `#/components/messages/${messageName}` } },
      bindings: {
        kafka: {
          topic: topics[role],
          partitions: config.partitions,
          replicas: config.replicationFactor,
          topicConfiguration: { 'retention.ms': retentionMs(config), 'cleanup.policy': ['delete'] },
          bindingVersion: '0.5.0',
        },
      },
    };
    operations[`send-${role}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${role}` },
      messages: [{ $ref: `#/channels/${role}/messages/${messageName}` }],
    };
    operations[`receive-${role}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${role}` },
      messages: [{ $ref: `#/channels/${role}/messages/${messageName}` }],
    };
    messages[messageName] =
      role === 'dlq'
        ? {
            name: messageName,
            title: 'Dead-lettered record',
            summary: 'The original record, key and value bytes unchanged, with dead-letter headers.',
            description:
              'The value is the original record value byte for byte (possibly not JSON). The dead-letter handler reads the record as a ' +
              'DeadLetterMessage (schemas/json/DeadLetterMessage.schema.json); a JSON DeadLetterMessage value without kafka_dlt-* headers is read too.',
            headers: deadLetterHeadersSchema,
            payload: { description: 'The original value bytes.' },
            bindings: {
              kafka: {
                key: { type: 'string', description: 'The original record key (absent when it had none).' },
                bindingVersion: '0.5.0',
              },
            },
          }
        : {
            name: messageName,
            title: messageName,
            contentType: CONTENT_TYPE,
            headers: protocolHeadersSchema(type),
            payload: {
              schemaFormat: 'application/schema+json;version=draft-07',
              schema: { $ref: `./json/${type}.schema.json` },
            },
            bindings: {
              kafka: {
                key: {
                  type: 'string',
                  minLength: 1,
                  maxLength: 255,
                  description: `${keyField} of the message. ${PARTITIONING}`,
                },
                bindingVersion: '0.5.0',
              },
            },
          };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Gamelan protocol on Kafka',
      version: SCHEMA_VERSION,
      description:
        'Messages between the Gamelan workflow engine and its executors. JSON UTF-8 values with the Java (Quarkus/Jackson) conventions: ' +
        'instants as ISO-8601 UTC strings, durations as decimal seconds, enums by name, absent optional fields as null. ' +
        'Generated from harness/protocol; do not edit.',
    },
    defaultContentType: CONTENT_TYPE,
    channels,
    operations,
    components: { messages },
  };
}

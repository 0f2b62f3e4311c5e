import { z } from 'zod';
import { DEFAULT_CONFIG, type GamelanKafkaConfig, retentionMs, topicNames } from '../../config/index.js';
import { TOPIC_ROLES, type TopicRole } from '../../vocabulary.js';
import { SCHEMA_VERSION } from '../registry.js';
import { asyncApiDocument, jsonSchemaFor, SCHEMA_NAMES } from '../schemas.js';
import { CONTENT_TYPE, HEADERS } from '../serdes.js';
import type { DialectName } from '../../vocabulary.js';
import { DIALECT_TOPIC_DEFAULTS } from '../../vocabulary.js';
import { SMALLRYE_DLQ_HEADERS, upstreamDialect } from './upstream/index.js';
import { NodeExecutionStatusSchema, RunStatusSchema, UpstreamErrorSchema } from './upstream/messages.js';

// JSON Schemas and the AsyncAPI document of each dialect, generated from its definition. The spec dialect's
// are the historical ones (schemas/json, schemas/asyncapi.yaml); upstream's live under schemas/upstream/.

type JsonSchema = Record<string, unknown>;

const UPSTREAM_PARTS = {
  NodeExecutionStatus: NodeExecutionStatusSchema,
  RunStatus: RunStatusSchema,
  ErrorMap: UpstreamErrorSchema,
} as const;

/** Schema names per dialect (one JSON Schema file each). */
export function dialectSchemaNames(dialect: DialectName): readonly string[] {
  if (dialect === 'spec') return SCHEMA_NAMES;
  return [...TOPIC_ROLES.map((role) => upstreamDialect.messages[role].name), ...Object.keys(UPSTREAM_PARTS)];
}

/** The JSON Schema (draft-07) of a message or part in a dialect. */
export function dialectJsonSchemaFor(dialect: DialectName, name: string): JsonSchema {
  if (dialect === 'spec') return jsonSchemaFor(name as (typeof SCHEMA_NAMES)[number]);
  const role = TOPIC_ROLES.find((r) => upstreamDialect.messages[r].name === name);
  const schema = role ? upstreamDialect.messages[role].schema : UPSTREAM_PARTS[name as keyof typeof UPSTREAM_PARTS];
  if (!schema) throw new Error(`no upstream schema named ${name}`);
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw' }) as JsonSchema;
  const definitions = (generated.definitions ?? {}) as Record<string, JsonSchema>;
  const root = definitions[name];
  if (!root) throw new Error(`zod did not produce a definition for ${name}`);
  if (name === 'TaskMessage')
    root.description = `${String(root.description)} taskId, when present, must equal "<runId>:<nodeId>:<attempt>".`;
  const { [name]: _self, ...others } = definitions;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `urn:gamelan:kafka:upstream:${name}:${SCHEMA_VERSION}`,
    'x-gamelan-dialect': 'upstream',
    ...root,
    ...(Object.keys(others).length ? { definitions: others } : {}),
  };
}

const UPSTREAM_ROLE_DESCRIPTIONS: Record<TopicRole, string> = {
  tasks: 'Task assignments (KafkaTaskProducer → KafkaTaskConsumer, channel workflow-tasks).',
  results:
    'Task results (KafkaResultProducer → KafkaResultConsumer, channel workflow-results). The engine counts only COMPLETED as success.',
  events: 'Workflow events (KafkaEventPublisher, channel workflow-events).',
  status: 'Run status updates (KafkaStatusPublisher, channel workflow-status).',
  dlq: "Dead letters (KafkaDeadLetterHandler, channel workflow-dlq): the Java DeadLetterMessage JSON. SmallRye's own dead-letter strategy, when configured, writes the failed record with dead-letter-* headers instead.",
};

/** The AsyncAPI 3.0 document of a dialect for a configuration (topic names, partitions, retention). */
export function dialectAsyncApiDocument(dialect: DialectName, config?: GamelanKafkaConfig): Record<string, unknown> {
  if (dialect === 'spec') return asyncApiDocument(config ?? DEFAULT_CONFIG);
  const topics = config ? topicNames(config) : DIALECT_TOPIC_DEFAULTS.upstream;
  const base = config ?? DEFAULT_CONFIG;
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const role of TOPIC_ROLES) {
    const message = upstreamDialect.messages[role];
    const key = message.key;
    const keyText =
      key.kind === 'field'
        ? `${key.field} (murmur2 partitioning, as the Java client)`
        : key.kind === 'none'
          ? `none: ${key.why}`
          : 'the original key';
    channels[role] = {
      address: topics[role],
      title: topics[role],
      description: `${UPSTREAM_ROLE_DESCRIPTIONS[role]} Key: ${keyText}.`,
      messages: { [message.name]: { $ref: `#/components/messages/${message.name}` } },
      bindings: {
        kafka: {
          topic: topics[role],
          partitions: base.partitions,
          replicas: base.replicationFactor,
          topicConfiguration: { 'retention.ms': retentionMs(base), 'cleanup.policy': ['delete'] },
          bindingVersion: '0.5.0',
        },
      },
    };
    operations[`send-${role}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${role}` },
      messages: [{ $ref: `#/channels/${role}/messages/${message.name}` }],
    };
    operations[`receive-${role}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${role}` },
      messages: [{ $ref: `#/channels/${role}/messages/${message.name}` }],
    };
    messages[message.name] = {
      name: message.name,
      title: `${message.name} (upstream)`,
      contentType: CONTENT_TYPE,
      headers: {
        type: 'object',
        description:
          'The Java side writes no headers of its own; with quarkus-opentelemetry a W3C traceparent may appear.',
        properties: {
          [HEADERS.traceparent]: { type: 'string' },
          ...(role === 'dlq'
            ? Object.fromEntries(
                Object.values(SMALLRYE_DLQ_HEADERS).map((h) => [
                  h,
                  { type: 'string', description: 'SmallRye dead-letter strategy (UTF-8 text).' },
                ]),
              )
            : {}),
        },
      },
      payload: {
        schemaFormat: 'application/schema+json;version=draft-07',
        schema: { $ref: `./json/${message.name}.schema.json` },
      },
      bindings: {
        kafka: {
          key:
            key.kind === 'field'
              ? { type: 'string', minLength: 1, maxLength: 255, description: `${key.field} of the message.` }
              : { description: keyText },
          bindingVersion: '0.5.0',
        },
      },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Gamelan on Kafka, as the Java code writes it (upstream dialect)',
      version: SCHEMA_VERSION,
      description:
        'What the Gamelan Java code puts on Kafka (read from its sources; see docs/dialects.md): SmallRye channel names as topics, ' +
        'Jackson with Quarkus defaults (ISO-8601 instants, nulls written, unknown properties ignored). Generated from harness/protocol/dialects; do not edit.',
    },
    defaultContentType: CONTENT_TYPE,
    channels,
    operations,
    components: { messages },
  };
}

import { z } from 'zod';
import { checkTaskId, attempt } from '../../messages/task-message.js';
import {
  identifier,
  instant,
  jsonObject,
  MAX_IDENTIFIER_LENGTH,
  MAX_TOKEN_LENGTH,
  MIN_TOKEN_LENGTH,
  optional,
  token,
} from '../../wire.js';

// The messages the Gamelan Java code puts on Kafka (shared/upstream/gamelan-java-kafka.md, read from the Java
// sources), one zod definition each: type, validator and JSON Schema, like the README's messages. "Required"
// means what a Java consumer needs not to drop the record (Jackson itself ignores unknown and missing fields).

/** `NodeExecutionStatus` names. The engine parses with `valueOf` and counts only COMPLETED as success. */
export const NODE_EXECUTION_STATUSES = [
  'PENDING',
  'EXECUTING',
  'COMPLETED',
  'FAILED',
  'WAITING',
  'CANCELLED',
  'SKIPPED',
  'RETRYING',
  'SUCCESS',
  'RUNNING',
] as const;
export type NodeExecutionStatus = (typeof NODE_EXECUTION_STATUSES)[number];

/** `RunStatus` names, on the status topic. */
export const RUN_STATUSES = [
  'CREATED',
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'COMPENSATING',
  'COMPENSATED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Event types the Java KafkaEventPublisher writes (the README's RUN_CREATED, … are history types, not published). */
export const UPSTREAM_EVENT_TYPES = [
  'WorkflowStarted',
  'WorkflowCompleted',
  'WorkflowFailed',
  'WorkflowCancelled',
  'NodeScheduled',
  'NodeStarted',
  'NodeCompleted',
  'NodeFailed',
  'CompensationStarted',
  'CompensationCompleted',
  'CompensationFailed',
  'RetryScheduled',
] as const;
export type UpstreamEventType = (typeof UPSTREAM_EVENT_TYPES)[number];

// The engine dispatcher's limits (KafkaTaskDispatcher): it refuses to send a task whose runId, nodeId or executor id
// is not an identifier of this form, whose token is not of this form, or whose message is over 1 MiB.

/** runId, nodeId and executor ids as the dispatcher accepts them: letters, digits, `_`, `-`; 1–255 characters. */
export const DISPATCHER_IDENTIFIER_PATTERN = /^[a-zA-Z0-9_-]+$/;
/** Execution tokens as the dispatcher accepts them: letters, digits and `+ / = - _ : .`; 10–512 characters. */
export const DISPATCHER_TOKEN_PATTERN = /^[a-zA-Z0-9+/=\-_:.]+$/;
/** The largest task message the dispatcher sends: 1,048,576 bytes (the UTF-8 JSON value); a larger one is refused. */
export const DISPATCHER_MAX_MESSAGE_BYTES = 1_048_576;

export const DISPATCHER_IDENTIFIER_REASON =
  'must match ^[a-zA-Z0-9_-]+$ (letters, digits, "_" and "-"), as the engine dispatcher requires';
export const DISPATCHER_TOKEN_REASON =
  'must match ^[a-zA-Z0-9+/=\\-_:.]+$ (letters, digits and + / = - _ : .), as the engine dispatcher requires';

/** An identifier the engine dispatcher accepts (runId, nodeId, executor id). */
const dispatcherIdentifier = (description: string) =>
  z
    .string()
    .min(1)
    .max(MAX_IDENTIFIER_LENGTH)
    .regex(DISPATCHER_IDENTIFIER_PATTERN, { error: DISPATCHER_IDENTIFIER_REASON })
    .meta({
      description: `${description} Letters, digits, "_" and "-", 1–${MAX_IDENTIFIER_LENGTH} characters (KafkaTaskDispatcher).`,
    });

/** An execution token the engine dispatcher accepts. */
const dispatcherToken = (description: string) =>
  z
    .string()
    .min(MIN_TOKEN_LENGTH)
    .max(MAX_TOKEN_LENGTH)
    .regex(DISPATCHER_TOKEN_PATTERN, { error: DISPATCHER_TOKEN_REASON })
    .meta({
      description: `${description} Letters, digits and + / = - _ : ., ${MIN_TOKEN_LENGTH}–${MAX_TOKEN_LENGTH} characters (KafkaTaskDispatcher).`,
    });

export const NodeExecutionStatusSchema = z.enum(NODE_EXECUTION_STATUSES).meta({
  id: 'NodeExecutionStatus',
  title: 'NodeExecutionStatus',
  description: 'Result status by enum name; the engine counts only COMPLETED as success.',
});

export const RunStatusSchema = z
  .enum(RUN_STATUSES)
  .meta({ id: 'RunStatus', title: 'RunStatus', description: 'Run status by enum name.' });

/**
 * `error` on a result: a Java `Map<String,String>` with `code` and `message` (message may be null). Any other
 * key must have a string value too; a nested object fails Jackson and stops the results channel.
 */
export const UpstreamErrorSchema = z
  .object({
    code: z.string().meta({ description: 'Error code.' }),
    message: optional(z.string().meta({ description: 'Error message; null when the Java exception had none.' })),
  })
  .catchall(z.string().nullable())
  .meta({
    id: 'ErrorMap',
    title: 'ErrorMap',
    description: 'Map<String,String>: code, message, and only string values.',
  });

/** Task on the module's `workflow-tasks` channel (key: runId). */
export const UpstreamTaskMessageSchema = z
  .object({
    taskId: optional(identifier('runId:nodeId:attempt (the engine dispatcher path omits it).')),
    runId: dispatcherIdentifier('Workflow run id; the record key.'),
    nodeId: dispatcherIdentifier('Node being executed.'),
    attempt,
    executionToken: dispatcherToken('Execution token; a task without it is dropped by the Java consumer.'),
    context: optional(jsonObject('Input data of the node.')),
    targetExecutor: optional(dispatcherIdentifier('Executor instance that should run the task.')),
    scheduledAt: optional(instant('When the task was scheduled.')),
  })
  .superRefine((value, ctx) => {
    if (value.taskId !== undefined) checkTaskId(value as typeof value & { taskId: string }, ctx);
  })
  .meta({
    id: 'TaskMessage',
    title: 'TaskMessage (upstream)',
    description: `A task as the Java module writes it (channel workflow-tasks, key: runId), within the engine dispatcher's limits (ids, token, at most ${DISPATCHER_MAX_MESSAGE_BYTES} bytes).`,
  });

/** Result on the `workflow-results` channel (key: runId). No taskId, executionTime or executorId. */
export const UpstreamTaskResultMessageSchema = z
  .object({
    runId: identifier('Workflow run id; the record key.'),
    nodeId: identifier('Executed node.'),
    attempt,
    status: NodeExecutionStatusSchema,
    output: optional(jsonObject('Output data of the node.')),
    error: optional(UpstreamErrorSchema),
    executionToken: token.meta({
      description: 'Execution token echoed from the task; a result without it is dropped.',
    }),
    completedAt: optional(instant('When execution completed.')),
  })
  .meta({
    id: 'TaskResultMessage',
    title: 'TaskResultMessage (upstream)',
    description: 'A result as the Java engine reads it (channel workflow-results, key: runId).',
  });

/** Event on the `workflow-events` channel (no key: the Java client's sticky partitioner). */
export const UpstreamWorkflowEventMessageSchema = z
  .object({
    eventId: identifier('Unique event id.'),
    runId: identifier('Workflow run id.'),
    tenantId: optional(identifier('Tenant id.')),
    eventType: z.enum(UPSTREAM_EVENT_TYPES).meta({ description: 'Event type by name.' }),
    occurredAt: instant('When the event occurred.'),
    eventData: optional(jsonObject('Event details.')),
  })
  .meta({
    id: 'WorkflowEventMessage',
    title: 'WorkflowEventMessage (upstream)',
    description: 'A workflow event as the Java publisher writes it (channel workflow-events, no key).',
  });

/** Status on the `workflow-status` channel (key: runId). No tenantId. */
export const UpstreamStatusUpdateMessageSchema = z
  .object({
    runId: identifier('Workflow run id; the record key.'),
    status: RunStatusSchema,
    message: optional(z.string().meta({ description: 'Status message.' })),
    timestamp: instant('Status timestamp.'),
  })
  .meta({
    id: 'StatusUpdateMessage',
    title: 'StatusUpdateMessage (upstream)',
    description: 'A run status update as the Java publisher writes it (channel workflow-status, key: runId).',
  });

/** The Java `DeadLetterMessage` JSON on `workflow-dlq` (no key). `originalValue` is Java `toString()` text. */
export const UpstreamDeadLetterMessageSchema = z
  .object({
    originalTopic: z.string().min(1).max(249).meta({ description: 'Topic of the failed record.' }),
    originalKey: optional(z.string().meta({ description: 'Key of the failed record.' })),
    originalValue: optional(z.string().meta({ description: 'The failed value as Java toString() text (not JSON).' })),
    errorMessage: optional(z.string().meta({ description: 'Why it failed.' })),
    timestamp: instant('When it was dead-lettered.'),
  })
  .meta({
    id: 'DeadLetterMessage',
    title: 'DeadLetterMessage (upstream)',
    description: 'A dead letter as the Java KafkaDeadLetterHandler writes it (channel workflow-dlq, no key).',
  });

export type UpstreamTaskMessage = z.output<typeof UpstreamTaskMessageSchema>;
export type UpstreamTaskResultMessage = z.output<typeof UpstreamTaskResultMessageSchema>;
export type UpstreamWorkflowEventMessage = z.output<typeof UpstreamWorkflowEventMessageSchema>;
export type UpstreamStatusUpdateMessage = z.output<typeof UpstreamStatusUpdateMessageSchema>;
export type UpstreamDeadLetterMessage = z.output<typeof UpstreamDeadLetterMessageSchema>;
export type UpstreamError = z.output<typeof UpstreamErrorSchema>;

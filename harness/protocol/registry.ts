import type { z } from 'zod';
import { type MessageType, ROLE_MESSAGE_TYPES, type TopicRole } from '../vocabulary.js';
import { type DeadLetterMessage, DeadLetterMessageSchema } from './messages/dead-letter-message.js';
import {
  type StatusUpdateMessage,
  STATUS_UPDATE_MESSAGE_ALIASES,
  STATUS_UPDATE_MESSAGE_KEPT_FIELDS,
  StatusUpdateMessageSchema,
} from './messages/status-update-message.js';
import { TASK_MESSAGE_ALIASES, type TaskMessage, TaskMessageSchema } from './messages/task-message.js';
import {
  TASK_RESULT_MESSAGE_ALIASES,
  type TaskResultMessage,
  TaskResultMessageSchema,
} from './messages/task-result-message.js';
import {
  WORKFLOW_EVENT_MESSAGE_ALIASES,
  WORKFLOW_EVENT_MESSAGE_KEPT_FIELDS,
  type WorkflowEventMessage,
  WorkflowEventMessageSchema,
} from './messages/workflow-event-message.js';

// The five messages, the topic role each travels on, and the field that is the record key.

/** Bumped when a message changes incompatibly; sent in the `gamelan-schema-version` header. */
export const SCHEMA_VERSION = '1';

export interface MessageTypes {
  TaskMessage: TaskMessage;
  TaskResultMessage: TaskResultMessage;
  WorkflowEventMessage: WorkflowEventMessage;
  StatusUpdateMessage: StatusUpdateMessage;
  DeadLetterMessage: DeadLetterMessage;
}
// The names are the protocol's vocabulary (harness/vocabulary.ts); re-exported with the schemas they name.
export { MESSAGE_TYPES, type MessageType, ROLE_MESSAGE_TYPES } from '../vocabulary.js';
export type RoleMessageTypes = typeof ROLE_MESSAGE_TYPES;
export type MessageForRole<R extends TopicRole> = MessageTypes[RoleMessageTypes[R]];

export interface MessageDefinition<T extends MessageType = MessageType> {
  readonly type: T;
  readonly role: TopicRole;
  readonly schema: z.ZodType<MessageTypes[T], unknown>;
  /** Upstream Java record field names the reader accepts → the spec's names it writes. */
  readonly aliases: Readonly<Record<string, string>>;
  /** The message field that must equal the record key (the dlq keeps the original key instead). */
  readonly keyField: 'runId' | 'tenantId' | 'originalKey';
  /** Upstream-only fields the README lacks: kept on read, written only when set (never as null). */
  readonly keptFields?: readonly string[];
}

export const MESSAGE_DEFINITIONS: { readonly [T in MessageType]: MessageDefinition<T> } = {
  TaskMessage: {
    type: 'TaskMessage',
    role: 'tasks',
    schema: TaskMessageSchema,
    aliases: TASK_MESSAGE_ALIASES,
    keyField: 'runId',
  },
  TaskResultMessage: {
    type: 'TaskResultMessage',
    role: 'results',
    schema: TaskResultMessageSchema,
    aliases: TASK_RESULT_MESSAGE_ALIASES,
    keyField: 'runId',
  },
  WorkflowEventMessage: {
    type: 'WorkflowEventMessage',
    role: 'events',
    schema: WorkflowEventMessageSchema,
    aliases: WORKFLOW_EVENT_MESSAGE_ALIASES,
    keyField: 'runId',
    keptFields: WORKFLOW_EVENT_MESSAGE_KEPT_FIELDS,
  },
  StatusUpdateMessage: {
    type: 'StatusUpdateMessage',
    role: 'status',
    schema: StatusUpdateMessageSchema,
    aliases: STATUS_UPDATE_MESSAGE_ALIASES,
    keyField: 'tenantId',
    keptFields: STATUS_UPDATE_MESSAGE_KEPT_FIELDS,
  },
  DeadLetterMessage: {
    type: 'DeadLetterMessage',
    role: 'dlq',
    schema: DeadLetterMessageSchema,
    aliases: {},
    keyField: 'originalKey',
  },
};

export function messageDefinition<T extends MessageType>(type: T): MessageDefinition<T> {
  return MESSAGE_DEFINITIONS[type] as MessageDefinition<T>;
}

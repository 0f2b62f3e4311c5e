import type { TopicRole } from '../config/schema.js';
import type { MessageType } from './registry.js';

// Which message travels on which topic role: plain constants without the schemas, so the CLI can
// check a role or type name (`produce <type>`) without loading zod and the protocol (registry.ts
// re-exports them).

/** Which message travels on which topic role. */
export const ROLE_MESSAGE_TYPES = {
  tasks: 'TaskMessage',
  results: 'TaskResultMessage',
  events: 'WorkflowEventMessage',
  status: 'StatusUpdateMessage',
  dlq: 'DeadLetterMessage',
} as const satisfies Record<TopicRole, MessageType>;

/** A topic role (`tasks`) or the message type it carries (`TaskMessage`), case-insensitive. */
export function roleForName(name: string): TopicRole | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(ROLE_MESSAGE_TYPES) as TopicRole[]).find((role) => role === lower || ROLE_MESSAGE_TYPES[role].toLowerCase() === lower);
}

// The protocol's words, in one leaf module (it imports nothing): the five topic roles, the message type each
// carries, the wire dialects with their default topic and channel names. The configuration (foundations) and the
// protocol (wire) both speak them, so they live below both; plain constants, so the CLI can check a role, type or
// dialect name without loading zod and the protocol.

/** The five topics, by the role each plays in the protocol. */
export const TOPIC_ROLES = ['tasks', 'results', 'events', 'status', 'dlq'] as const;
export type TopicRole = (typeof TOPIC_ROLES)[number];

/** The five messages (harness/protocol/registry.ts holds their schemas). */
export const MESSAGE_TYPES = [
  'TaskMessage',
  'TaskResultMessage',
  'WorkflowEventMessage',
  'StatusUpdateMessage',
  'DeadLetterMessage',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

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
  return TOPIC_ROLES.find((role) => role === lower || ROLE_MESSAGE_TYPES[role].toLowerCase() === lower);
}

/** The wire dialects the harness speaks: the protocol README (`spec`) and what the Java code writes (`upstream`). */
export const DIALECT_NAMES = ['spec', 'upstream'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** How a reader may treat records: strictly one dialect, or `auto` (detect per record and say which). */
export const READ_DIALECTS = [...DIALECT_NAMES, 'auto'] as const;
export type ReadDialect = (typeof READ_DIALECTS)[number];

/** Default topic of each role, per dialect (spec: the README's names; upstream: the SmallRye channel names). */
export const DIALECT_TOPIC_DEFAULTS = {
  spec: {
    tasks: 'gamelan.workflow-tasks',
    results: 'gamelan.task-results',
    events: 'gamelan.workflow-events',
    status: 'gamelan.status-updates',
    dlq: 'gamelan.dead-letter-queue',
  },
  // No mp.messaging.*.topic setting exists upstream, so each SmallRye channel name is its topic name.
  upstream: {
    tasks: 'workflow-tasks',
    results: 'workflow-results',
    events: 'workflow-events',
    status: 'workflow-status',
    dlq: 'workflow-dlq',
  },
} as const satisfies Record<DialectName, Record<TopicRole, string>>;

/**
 * SmallRye channel names → topic role, as `mp.messaging.incoming|outgoing.<channel>.*` keys name them: the Java
 * module's channels, and the channel names the README's Java snippets use (`task-results`, `status-updates`, …).
 */
export const CHANNEL_ROLES: Readonly<Record<string, TopicRole>> = {
  'workflow-tasks': 'tasks',
  'workflow-results': 'results',
  'task-results': 'results',
  'workflow-events': 'events',
  'workflow-status': 'status',
  'status-updates': 'status',
  'workflow-dlq': 'dlq',
  'dead-letter-queue': 'dlq',
};

/** The Java channel of each role in the upstream code (its MicroProfile environment names derive from it). */
export const UPSTREAM_CHANNELS = DIALECT_TOPIC_DEFAULTS.upstream;

export function isDialectName(value: string): value is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(value);
}
export function isReadDialect(value: string): value is ReadDialect {
  return (READ_DIALECTS as readonly string[]).includes(value);
}

import type { TopicRole } from '../../config/schema.js';

// Topic names and SmallRye channel names per dialect. A leaf module (type imports only) so that the
// configuration loader can read the defaults without importing the protocol (which imports the config).

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

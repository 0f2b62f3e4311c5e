import { z } from 'zod';
import { identifier, instant, jsonObject, optional } from '../wire.js';

/**
 * A workflow event for event sourcing, on the events topic (key: runId). `eventType` is free text in the
 * spec (RUN_CREATED, NODE_STARTED, NODE_COMPLETED, …). The reader also accepts the upstream Java record
 * names `occurredAt` (→ timestamp) and `eventData` (→ payload).
 */
export const WorkflowEventMessageSchema = z
  .object({
    eventId: identifier('Unique event id.'),
    runId: identifier('Workflow run id; the record key.'),
    eventType: identifier('RUN_CREATED, NODE_STARTED, NODE_COMPLETED, …'),
    payload: optional(jsonObject('Event details.')),
    timestamp: instant('When the event occurred.'),
    actorId: optional(identifier('Who triggered the event.')),
    // Not in the README; the Java KafkaEventPublisher writes it. Kept when present, not written when absent.
    tenantId: optional(
      identifier('Tenant id (upstream field, not in the README): kept when present, never written as null.'),
    ),
  })
  .meta({
    id: 'WorkflowEventMessage',
    title: 'WorkflowEventMessage',
    description: 'A workflow event (topic role: events, key: runId).',
  });

/** Upstream-only fields kept on read and written only when set (absent ≠ null, so README output is unchanged). */
export const WORKFLOW_EVENT_MESSAGE_KEPT_FIELDS = ['tenantId'] as const;

export const WORKFLOW_EVENT_MESSAGE_ALIASES = { occurredAt: 'timestamp', eventData: 'payload' } as const;

export type WorkflowEventMessage = z.output<typeof WorkflowEventMessageSchema>;
export type WorkflowEventMessageWire = z.input<typeof WorkflowEventMessageSchema>;

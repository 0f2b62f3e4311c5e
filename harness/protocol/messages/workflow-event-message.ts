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
  })
  .meta({ id: 'WorkflowEventMessage', title: 'WorkflowEventMessage', description: 'A workflow event (topic role: events, key: runId).' });

export const WORKFLOW_EVENT_MESSAGE_ALIASES = { occurredAt: 'timestamp', eventData: 'payload' } as const;

export type WorkflowEventMessage = z.output<typeof WorkflowEventMessageSchema>;
export type WorkflowEventMessageWire = z.input<typeof WorkflowEventMessageSchema>;

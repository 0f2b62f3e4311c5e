import { z } from 'zod';
import { identifier, instant, jsonObject, optional } from '../wire.js';

/**
 * A real-time status notification on the status topic (key: tenantId, for multi-tenancy). `status` is free
 * text in the spec (RUNNING, COMPLETED, FAILED, …). The reader also accepts `occurredAt` (→ timestamp).
 */
export const StatusUpdateMessageSchema = z
  .object({
    runId: identifier('Workflow run id.'),
    tenantId: identifier('Tenant id; the record key.'),
    status: identifier('RUNNING, COMPLETED, FAILED, …'),
    data: optional(jsonObject('Status details.')),
    timestamp: instant('Status timestamp.'),
    // Not in the README; the Java KafkaStatusPublisher writes it. Kept when present, not written when absent.
    message: optional(
      z.string().meta({
        description: 'Status message (upstream field, not in the README): kept when present, never written as null.',
      }),
    ),
  })
  .meta({
    id: 'StatusUpdateMessage',
    title: 'StatusUpdateMessage',
    description: 'A status notification (topic role: status, key: tenantId).',
  });

/** Upstream-only fields kept on read and written only when set (absent ≠ null, so README output is unchanged). */
export const STATUS_UPDATE_MESSAGE_KEPT_FIELDS = ['message'] as const;

export const STATUS_UPDATE_MESSAGE_ALIASES = { occurredAt: 'timestamp' } as const;

export type StatusUpdateMessage = z.output<typeof StatusUpdateMessageSchema>;
export type StatusUpdateMessageWire = z.input<typeof StatusUpdateMessageSchema>;

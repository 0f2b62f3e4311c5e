import { ProtocolError } from '../../../errors.js';
import { describeValue } from '../../validate.js';
import { normalizeInstant } from '../../wire.js';
import type { Deviation, MappingNote } from '../types.js';
import type { UpstreamEventType } from './messages.js';

// What KafkaEventPublisher always writes (shared/upstream/gamelan-java-kafka.md, "Events"): the run's tenant on
// WorkflowStarted and "system" on every other event; eventData echoing {eventType, eventId, runId, occurredAt}
// (ISO text), plus {nodeId, attempt, output} on NodeCompleted and {nodeId, attempt, error: {code, message}} on
// NodeFailed. A record that breaks them is still read (a Java consumer reads it), but conformance reports it.

/** The tenant KafkaEventPublisher writes on every event but WorkflowStarted. */
export const SYSTEM_TENANT = 'system';
/** The one event that carries the run's real tenant. */
export const TENANT_EVENT: UpstreamEventType = 'WorkflowStarted';
/** The envelope fields eventData always echoes. */
export const EVENT_DATA_ECHO = ['eventType', 'eventId', 'runId', 'occurredAt'] as const;
/** The fields eventData adds for two event types. */
export const EVENT_DATA_FIELDS: Readonly<Partial<Record<UpstreamEventType, readonly string[]>>> = {
  NodeCompleted: ['nodeId', 'attempt', 'output'],
  NodeFailed: ['nodeId', 'attempt', 'error'],
};

interface EventWire {
  readonly eventId: string;
  readonly runId: string;
  readonly tenantId?: string | undefined;
  readonly eventType: UpstreamEventType;
  readonly occurredAt: string;
  readonly eventData?: Record<string, unknown> | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every way a (schema-valid) upstream event differs from what KafkaEventPublisher writes. */
export function eventConventionDeviations(w: EventWire): Deviation[] {
  const out: Deviation[] = [];
  const tenant = (message: string) =>
    out.push({ rule: 'field.tenant-id', field: '$.tenantId', message: `$.tenantId: ${message}` });
  const data = (field: string, message: string) =>
    out.push({ rule: 'field.event-data', field, message: `${field}: ${message}` });
  if (w.eventType === TENANT_EVENT) {
    if (w.tenantId === undefined) tenant(`missing; KafkaEventPublisher writes the run's tenant on ${TENANT_EVENT}`);
  } else if (w.tenantId !== SYSTEM_TENANT) {
    tenant(
      `must be "${SYSTEM_TENANT}" on a ${w.eventType} event (got ${describeValue(w.tenantId ?? null)}); KafkaEventPublisher writes the real tenant on ${TENANT_EVENT} only`,
    );
  }
  const d = w.eventData;
  if (d === undefined) {
    data('$.eventData', `missing; KafkaEventPublisher always writes {${EVENT_DATA_ECHO.join(', ')}}`);
    return out;
  }
  for (const field of EVENT_DATA_ECHO) {
    const expected = w[field];
    const got = d[field];
    const same =
      field === 'occurredAt' ? typeof got === 'string' && normalizeInstant(got) === expected : got === expected;
    if (got === undefined)
      data(`$.eventData.${field}`, `missing; eventData echoes $.${field} ${JSON.stringify(expected)}`);
    else if (!same)
      data(
        `$.eventData.${field}`,
        `must echo $.${field} ${JSON.stringify(expected)}${field === 'occurredAt' ? ' as ISO text' : ''} (got ${describeValue(got)})`,
      );
  }
  for (const field of EVENT_DATA_FIELDS[w.eventType] ?? []) {
    const got = d[field];
    const path = `$.eventData.${field}`;
    if (got === undefined) {
      data(path, `missing; a ${w.eventType} event's eventData has ${EVENT_DATA_FIELDS[w.eventType]!.join(', ')}`);
      continue;
    }
    if (field === 'nodeId' && typeof got !== 'string') data(path, `expected a string, got ${describeValue(got)}`);
    if (field === 'attempt' && !Number.isInteger(got)) data(path, `expected an integer, got ${describeValue(got)}`);
    if (field === 'output' && got !== null && !isObject(got))
      data(path, `expected an object or null, got ${describeValue(got)}`);
    if (field === 'error') {
      if (!isObject(got)) data(path, `expected {code, message}, got ${describeValue(got)}`);
      else {
        if (typeof got['code'] !== 'string')
          data(`${path}.code`, `expected a string, got ${describeValue(got['code'] ?? null)}`);
        if (got['message'] !== null && typeof got['message'] !== 'string')
          data(`${path}.message`, `expected a string or null, got ${describeValue(got['message'] ?? null)}`);
      }
    }
  }
  return out;
}

const note = (field: string, from: unknown, to: unknown, text: string, lossy: boolean): MappingNote => ({
  field,
  from,
  to,
  note: text,
  lossy,
});

/**
 * The tenantId and eventData KafkaEventPublisher would write for a canonical event (payload merged under the echo,
 * the fields its type adds taken from the payload). Throws ProtocolError when the payload lacks what the type needs.
 */
export function publisherFields(
  eventType: UpstreamEventType,
  m: {
    readonly eventId: string;
    readonly runId: string;
    readonly timestamp: string;
    readonly tenantId?: string | undefined;
    readonly payload?: Record<string, unknown> | undefined;
    readonly eventType: string;
  },
  mapped: MappingNote[],
): { tenantId: string; eventData: Record<string, unknown> } {
  const payload = m.payload ?? {};
  let tenantId: string;
  if (eventType === TENANT_EVENT) {
    const fromPayload = typeof payload['tenantId'] === 'string' ? payload['tenantId'] : undefined;
    const tenant = m.tenantId ?? fromPayload;
    if (tenant === undefined || tenant === SYSTEM_TENANT) {
      throw new ProtocolError(
        'MESSAGE_INVALID',
        `WorkflowEventMessage at $.tenantId: a ${TENANT_EVENT} event carries the run's tenant upstream (KafkaEventPublisher), got ${describeValue(tenant ?? null)}; set tenantId (or payload.tenantId) of the ${m.eventType} event`,
        { path: '$.tenantId', value: tenant },
      );
    }
    tenantId = tenant;
    if (m.tenantId === undefined)
      mapped.push(
        note(
          'tenantId',
          undefined,
          tenant,
          `a ${TENANT_EVENT} event carries the run's tenant: taken from payload.tenantId`,
          true,
        ),
      );
  } else {
    tenantId = SYSTEM_TENANT;
    if (m.tenantId !== undefined && m.tenantId !== SYSTEM_TENANT) {
      mapped.push(
        note(
          'tenantId',
          m.tenantId,
          SYSTEM_TENANT,
          `upstream writes "${SYSTEM_TENANT}" as the tenant of every event but ${TENANT_EVENT}`,
          true,
        ),
      );
    }
  }
  const echo: Record<string, unknown> = {
    eventType,
    eventId: m.eventId,
    runId: m.runId,
    occurredAt: normalizeInstant(m.timestamp) ?? m.timestamp,
  };
  for (const field of EVENT_DATA_ECHO) {
    if (field in payload && payload[field] !== echo[field]) {
      mapped.push(
        note(
          `payload.${field}`,
          payload[field],
          echo[field],
          `eventData.${field} echoes the event's ${field} upstream`,
          true,
        ),
      );
    }
  }
  const extra: Record<string, unknown> = {};
  for (const field of EVENT_DATA_FIELDS[eventType] ?? []) {
    if (payload[field] !== undefined) continue;
    if (field === 'output') {
      extra[field] = null;
      mapped.push(
        note(
          'payload.output',
          undefined,
          null,
          `a ${eventType} event's eventData has output: none in the payload, written as null`,
          true,
        ),
      );
      continue;
    }
    if (field === 'error') {
      const reason = typeof payload['reason'] === 'string' ? payload['reason'] : null;
      const code = typeof payload['status'] === 'string' ? payload['status'] : 'FAILED';
      extra[field] = { code, message: reason };
      mapped.push(
        note(
          'payload.error',
          undefined,
          extra[field],
          `a ${eventType} event's eventData has error {code, message}: made from payload status and reason`,
          true,
        ),
      );
      continue;
    }
    throw new ProtocolError(
      'MESSAGE_INVALID',
      `WorkflowEventMessage at $.payload.${field}: a ${m.eventType} event is written as ${eventType}, whose eventData has ${EVENT_DATA_FIELDS[eventType]!.join(', ')} upstream; the payload has no ${field}`,
      { path: `$.payload.${field}`, value: m.payload },
    );
  }
  return { tenantId, eventData: { ...payload, ...extra, ...echo } };
}

/** The canonical tenant and payload of an upstream event: "system" is no tenant, the echo is not payload. */
export function canonicalFields(
  w: EventWire,
  mapped: MappingNote[],
): { tenantId: string | undefined; payload: Record<string, unknown> | undefined } {
  let tenantId = w.tenantId;
  if (w.eventType !== TENANT_EVENT && tenantId === SYSTEM_TENANT) {
    tenantId = undefined;
    mapped.push(
      note(
        'tenantId',
        SYSTEM_TENANT,
        null,
        `"${SYSTEM_TENANT}" is the publisher's tenant of every event but ${TENANT_EVENT}: no tenant`,
        false,
      ),
    );
  }
  if (w.eventData === undefined) return { tenantId, payload: undefined };
  const payload: Record<string, unknown> = { ...w.eventData };
  for (const field of EVENT_DATA_ECHO) {
    const got = payload[field];
    const same =
      field === 'occurredAt' ? typeof got === 'string' && normalizeInstant(got) === w.occurredAt : got === w[field];
    if (same) delete payload[field];
  }
  return { tenantId, payload };
}

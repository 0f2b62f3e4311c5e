import { ProtocolError } from '../../../errors.js';
import type { ErrorInfo } from '../../messages/error-info.js';
import type { ExecutionStatus } from '../../messages/execution-status.js';
import { taskIdOf } from '../../messages/task-message.js';
import type { MessageForRole } from '../../registry.js';
import { formatInstant } from '../../wire.js';
import type { MappingContext, MappingNote } from '../types.js';
import { canonicalFields, publisherFields } from './events.js';
import {
  type NodeExecutionStatus,
  RUN_STATUSES,
  type RunStatus,
  type UpstreamError,
  type UpstreamEventType,
  type UpstreamStatusUpdateMessage,
  type UpstreamTaskMessage,
  type UpstreamTaskResultMessage,
  type UpstreamWorkflowEventMessage,
  UPSTREAM_EVENT_TYPES,
} from './messages.js';

// The explicit translations between the upstream wire and the canonical (README) messages. Each returns the
// notes of what it renamed, derived or could not carry (`lossy`), so decoded output shows them and the
// property tests can tell a lossless round trip from a lossy one.

/** Result status: spec → upstream. TIMEOUT has no upstream name; FAILED is what the engine understands. */
export const RESULT_STATUS_TO_UPSTREAM: Readonly<Record<ExecutionStatus, NodeExecutionStatus>> = {
  SUCCESS: 'COMPLETED',
  FAILURE: 'FAILED',
  TIMEOUT: 'FAILED',
};

/** Result status: upstream → spec. The engine counts only COMPLETED as success; every other name fails the node. */
export function resultStatusFromUpstream(status: NodeExecutionStatus): ExecutionStatus {
  return status === 'COMPLETED' ? 'SUCCESS' : 'FAILURE';
}

/** Event types with a one-to-one counterpart (a lossless pair). */
export const EVENT_TYPE_PAIRS: ReadonlyArray<readonly [spec: string, upstream: UpstreamEventType]> = [
  ['RUN_STARTED', 'WorkflowStarted'],
  ['RUN_COMPLETED', 'WorkflowCompleted'],
  ['RUN_FAILED', 'WorkflowFailed'],
  ['RUN_CANCELLED', 'WorkflowCancelled'],
  ['NODE_SCHEDULED', 'NodeScheduled'],
  ['NODE_STARTED', 'NodeStarted'],
  ['NODE_COMPLETED', 'NodeCompleted'],
  ['NODE_FAILED', 'NodeFailed'],
  ['COMPENSATION_STARTED', 'CompensationStarted'],
  ['COMPENSATION_COMPLETED', 'CompensationCompleted'],
  ['COMPENSATION_FAILED', 'CompensationFailed'],
  ['NODE_RETRY_SCHEDULED', 'RetryScheduled'],
];

/** README history types the Java code never publishes, written as the nearest upstream event (lossy). */
export const EVENT_TYPE_NEAREST: Readonly<Record<string, UpstreamEventType>> = {
  RUN_CREATED: 'WorkflowStarted',
  NODE_DEAD_LETTERED: 'NodeFailed',
};

const EVENT_TO_UPSTREAM = new Map(EVENT_TYPE_PAIRS.map(([s, u]) => [s, u]));
const EVENT_FROM_UPSTREAM = new Map(EVENT_TYPE_PAIRS.map(([s, u]) => [u, s]));

/** Placeholder tenant of a status read from upstream (its status updates carry no tenantId). */
export const UNKNOWN_TENANT = 'unknown-tenant';

const note = (field: string, from: unknown, to: unknown, text: string, lossy = false): MappingNote => ({
  field,
  from,
  to,
  note: text,
  lossy,
});
const rename = (from: string, to: string): MappingNote => ({
  field: from,
  to,
  note: `"${from}" is "${to}"`,
  lossy: false,
});

const fallbackInstant = (field: string, context: MappingContext, notes: MappingNote[]): string => {
  const ms = context.timestamp ?? 0;
  const value = formatInstant(Math.floor(ms / 1000), (ms % 1000) * 1e6);
  notes.push(
    note(
      field,
      null,
      value,
      context.timestamp === undefined ? `no ${field}; set to the epoch` : `no ${field}; the record timestamp is used`,
      true,
    ),
  );
  return value;
};

// -- tasks ------------------------------------------------------------------------------------------

export function taskToCanonical(
  w: UpstreamTaskMessage,
  context: MappingContext,
): { message: MessageForRole<'tasks'>; mapped: MappingNote[] } {
  const mapped: MappingNote[] = [rename('executionToken', 'token')];
  const taskId = w.taskId ?? taskIdOf(w.runId, w.nodeId, w.attempt);
  if (w.taskId === undefined) mapped.push(note('taskId', null, taskId, 'no taskId; derived from runId:nodeId:attempt'));
  let createdAt: string;
  if (w.scheduledAt === undefined) createdAt = fallbackInstant('scheduledAt', context, mapped);
  else {
    createdAt = w.scheduledAt;
    mapped.push(rename('scheduledAt', 'createdAt'));
  }
  return {
    message: {
      taskId,
      runId: w.runId,
      nodeId: w.nodeId,
      attempt: w.attempt,
      token: w.executionToken,
      context: w.context,
      targetExecutor: w.targetExecutor,
      createdAt,
    },
    mapped,
  };
}

export function taskFromCanonical(m: MessageForRole<'tasks'>): {
  wire: Record<string, unknown>;
  mapped: MappingNote[];
} {
  return {
    wire: {
      taskId: m.taskId,
      runId: m.runId,
      nodeId: m.nodeId,
      attempt: m.attempt,
      executionToken: m.token,
      context: m.context,
      targetExecutor: m.targetExecutor,
      scheduledAt: m.createdAt,
    },
    mapped: [rename('token', 'executionToken'), rename('createdAt', 'scheduledAt')],
  };
}

// -- results ----------------------------------------------------------------------------------------

const ERROR_KNOWN_KEYS = new Set(['code', 'message', 'stackTrace']);

function errorToCanonical(error: UpstreamError, mapped: MappingNote[]): ErrorInfo {
  const extra = Object.entries(error).filter(([k, v]) => !ERROR_KNOWN_KEYS.has(k) && v !== undefined);
  let code = error.code;
  if (code === '') {
    code = 'UNKNOWN';
    mapped.push(note('error.code', '', code, 'empty error code; read as UNKNOWN', true));
  }
  const message = error.message ?? '';
  if (error.message === undefined) mapped.push(note('error.message', null, '', 'null error message; read as ""', true));
  if (extra.length)
    mapped.push(
      note(
        'error',
        extra.map(([k]) => k),
        'error.context',
        'other error entries are kept in error.context',
      ),
    );
  const stackTrace = typeof error['stackTrace'] === 'string' ? error['stackTrace'] : undefined;
  return {
    code,
    message,
    ...(stackTrace === undefined ? {} : { stackTrace }),
    ...(extra.length ? { context: Object.fromEntries(extra) } : {}),
  };
}

function errorFromCanonical(error: ErrorInfo, mapped: MappingNote[]): Record<string, string | null> {
  const out: Record<string, string | null> = { code: error.code, message: error.message };
  if (error.stackTrace !== undefined) out['stackTrace'] = error.stackTrace;
  if (error.context !== undefined) {
    const entries = Object.entries(error.context);
    const strings = entries.filter(([k, v]) => typeof v === 'string' && !ERROR_KNOWN_KEYS.has(k));
    for (const [k, v] of strings) out[k] = v as string;
    if (strings.length !== entries.length) {
      mapped.push(
        note(
          'error.context',
          error.context,
          null,
          'error is a Map<String,String> upstream: non-string context entries are not written (a nested object fails Jackson)',
          true,
        ),
      );
    } else if (strings.length)
      mapped.push(
        note(
          'error.context',
          Object.keys(error.context),
          'error',
          'string context entries are written as error entries',
        ),
      );
  }
  return out;
}

export function resultToCanonical(
  w: UpstreamTaskResultMessage,
  context: MappingContext,
): { message: MessageForRole<'results'>; mapped: MappingNote[] } {
  const mapped: MappingNote[] = [rename('executionToken', 'token')];
  const taskId = taskIdOf(w.runId, w.nodeId, w.attempt);
  mapped.push(note('taskId', null, taskId, 'no taskId upstream; derived from runId:nodeId:attempt'));
  const status = resultStatusFromUpstream(w.status);
  const lossyStatus = w.status !== 'COMPLETED' && w.status !== 'FAILED';
  mapped.push(
    note(
      'status',
      w.status,
      status,
      lossyStatus
        ? `the engine counts only COMPLETED as success: ${w.status} fails the node, read as FAILURE`
        : `${w.status} is ${status}`,
      lossyStatus,
    ),
  );
  const completedAt = w.completedAt ?? fallbackInstant('completedAt', context, mapped);
  return {
    message: {
      taskId,
      runId: w.runId,
      nodeId: w.nodeId,
      attempt: w.attempt,
      token: w.executionToken,
      status,
      output: w.output,
      error: w.error === undefined ? undefined : errorToCanonical(w.error, mapped),
      executionTime: undefined,
      executorId: undefined,
      completedAt,
    },
    mapped,
  };
}

export function resultFromCanonical(m: MessageForRole<'results'>): {
  wire: Record<string, unknown>;
  mapped: MappingNote[];
} {
  const mapped: MappingNote[] = [
    rename('token', 'executionToken'),
    note('taskId', m.taskId, null, 'not written: upstream results carry no taskId (it is runId:nodeId:attempt)'),
  ];
  const status = RESULT_STATUS_TO_UPSTREAM[m.status];
  mapped.push(
    note(
      'status',
      m.status,
      status,
      m.status === 'TIMEOUT' ? 'upstream has no TIMEOUT: written as FAILED' : `${m.status} is ${status}`,
      m.status === 'TIMEOUT',
    ),
  );
  if (m.executionTime !== undefined)
    mapped.push(
      note('executionTime', m.executionTime, null, 'not written: upstream results have no executionTime', true),
    );
  if (m.executorId !== undefined)
    mapped.push(note('executorId', m.executorId, null, 'not written: upstream results have no executorId', true));
  return {
    wire: {
      runId: m.runId,
      nodeId: m.nodeId,
      attempt: m.attempt,
      status,
      output: m.output,
      error: m.error === undefined ? undefined : errorFromCanonical(m.error, mapped),
      executionToken: m.token,
      completedAt: m.completedAt,
    },
    mapped,
  };
}

// -- events -----------------------------------------------------------------------------------------

export function eventToCanonical(w: UpstreamWorkflowEventMessage): {
  message: MessageForRole<'events'>;
  mapped: MappingNote[];
} {
  const eventType = EVENT_FROM_UPSTREAM.get(w.eventType)!;
  const mapped: MappingNote[] = [
    note('eventType', w.eventType, eventType, `${w.eventType} is ${eventType}`),
    rename('occurredAt', 'timestamp'),
    rename('eventData', 'payload'),
  ];
  const { tenantId, payload } = canonicalFields(w, mapped);
  return {
    message: {
      eventId: w.eventId,
      runId: w.runId,
      eventType,
      payload,
      timestamp: w.occurredAt,
      actorId: undefined,
      tenantId,
    },
    mapped,
  };
}

export function eventFromCanonical(m: MessageForRole<'events'>): {
  wire: Record<string, unknown>;
  mapped: MappingNote[];
} {
  const mapped: MappingNote[] = [rename('timestamp', 'occurredAt'), rename('payload', 'eventData')];
  let eventType = EVENT_TO_UPSTREAM.get(m.eventType);
  if (eventType !== undefined) mapped.push(note('eventType', m.eventType, eventType, `${m.eventType} is ${eventType}`));
  else if (EVENT_TYPE_NEAREST[m.eventType] !== undefined) {
    eventType = EVENT_TYPE_NEAREST[m.eventType]!;
    mapped.push(
      note(
        'eventType',
        m.eventType,
        eventType,
        `upstream publishes no ${m.eventType}: written as the nearest event, ${eventType}`,
        true,
      ),
    );
  } else {
    throw new ProtocolError(
      'MESSAGE_INVALID',
      `WorkflowEventMessage at $.eventType: "${m.eventType}" has no upstream event type; upstream allows ${UPSTREAM_EVENT_TYPES.join(', ')} ` +
        `(README names ${[...EVENT_TO_UPSTREAM.keys(), ...Object.keys(EVENT_TYPE_NEAREST)].join(', ')} map to them)`,
      { path: '$.eventType', value: m.eventType },
    );
  }
  if (m.actorId !== undefined)
    mapped.push(note('actorId', m.actorId, null, 'not written: upstream events have no actorId', true));
  const { tenantId, eventData } = publisherFields(eventType, m, mapped);
  return {
    wire: { eventId: m.eventId, runId: m.runId, tenantId, eventType, occurredAt: m.timestamp, eventData },
    mapped,
  };
}

// -- status -----------------------------------------------------------------------------------------

export function statusToCanonical(w: UpstreamStatusUpdateMessage): {
  message: MessageForRole<'status'>;
  mapped: MappingNote[];
} {
  return {
    message: {
      runId: w.runId,
      tenantId: UNKNOWN_TENANT,
      status: w.status,
      data: undefined,
      timestamp: w.timestamp,
      message: w.message,
    },
    mapped: [
      note(
        'tenantId',
        null,
        UNKNOWN_TENANT,
        `upstream status updates carry no tenantId; set to "${UNKNOWN_TENANT}"`,
        true,
      ),
    ],
  };
}

export function statusFromCanonical(m: MessageForRole<'status'>): {
  wire: Record<string, unknown>;
  mapped: MappingNote[];
} {
  if (!(RUN_STATUSES as readonly string[]).includes(m.status)) {
    throw new ProtocolError(
      'MESSAGE_INVALID',
      `StatusUpdateMessage at $.status: "${m.status}" is not a RunStatus; upstream allows ${RUN_STATUSES.join(', ')}`,
      {
        path: '$.status',
        value: m.status,
      },
    );
  }
  const mapped: MappingNote[] = [];
  if (m.tenantId !== UNKNOWN_TENANT)
    mapped.push(
      note(
        'tenantId',
        m.tenantId,
        null,
        'not written: upstream status updates have no tenantId (keyed by runId instead)',
        true,
      ),
    );
  if (m.data !== undefined)
    mapped.push(note('data', m.data, null, 'not written: upstream status updates have no data', true));
  return {
    wire: { runId: m.runId, status: m.status as RunStatus, message: m.message, timestamp: m.timestamp },
    mapped,
  };
}

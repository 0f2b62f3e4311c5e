import type { RecordedMessage } from '../../../harness/recorder/types.js';
import type { Recording } from '../../../harness/recorder/recording.js';

// Hand-made flows for the HTML report's tests: what a recorder would have seen, without a broker.

export const T0 = Date.parse('2025-01-01T10:00:00.000Z');
const PREFIX = 's-demo-abc123';
export const TOPICS = {
  tasks: `${PREFIX}.gamelan.workflow-tasks`,
  results: `${PREFIX}.gamelan.task-results`,
  events: `${PREFIX}.gamelan.workflow-events`,
  status: `${PREFIX}.gamelan.status-updates`,
  dlq: `${PREFIX}.gamelan.dead-letter-queue`,
} as const;
export const GROUP = `${PREFIX}.gamelan-executors`;

type Role = keyof typeof TOPICS;
const offsets = new Map<string, number>();

export function record(
  role: Role,
  partition: number,
  at: number,
  value: unknown,
  extra: Partial<RecordedMessage> = {},
): RecordedMessage {
  const k = `${role}:${partition}`;
  const offset = offsets.get(k) ?? 0;
  offsets.set(k, offset + 1);
  const v = value as { runId?: string } | undefined;
  return {
    topic: TOPICS[role],
    role,
    partition,
    offset: String(offset),
    key: v?.runId ?? null,
    headers: { 'content-type': 'application/json' },
    timestamp: T0 + at,
    value,
    rawBase64: null,
    receivedAt: T0 + at + 5,
    ...extra,
  };
}

const task = (runId: string, nodeId: string, attempt: number) => ({
  taskId: `${runId}:${nodeId}:${attempt}`,
  runId,
  nodeId,
  attempt,
  token: 't',
  createdAt: 'x',
});
const result = (
  runId: string,
  nodeId: string,
  attempt: number,
  status: string,
  executorId: string,
  executionTime = 0.05,
) => ({
  ...task(runId, nodeId, attempt),
  status,
  executorId,
  executionTime,
  completedAt: 'x',
});

/**
 * Run r-ok: charge succeeds on attempt 1 (executor-a). Run r-dlq: charge fails three times (executor-b), gaps
 * 100 ms and 200 ms, then is dead-lettered by the engine. A rebalance from one member to two; lag rises and falls.
 */
export function demoRecording(): Recording {
  offsets.clear();
  const messages: RecordedMessage[] = [
    record('events', 0, 0, { eventId: 'e1', runId: 'r-ok', eventType: 'RUN_CREATED', timestamp: 'x' }),
    record('tasks', 0, 10, task('r-ok', 'charge', 1)),
    record('results', 0, 80, result('r-ok', 'charge', 1, 'SUCCESS', 'executor-a')),
    record('events', 0, 90, { eventId: 'e2', runId: 'r-ok', eventType: 'RUN_COMPLETED', timestamp: 'x' }),
    record('status', 1, 95, { runId: 'r-ok', tenantId: 'acme', status: 'COMPLETED', timestamp: 'x' }, { key: 'acme' }),
    record('tasks', 2, 100, task('r-dlq', 'charge', 1)),
    record('results', 2, 150, result('r-dlq', 'charge', 1, 'FAILURE', 'executor-b')),
    record('tasks', 2, 200, task('r-dlq', 'charge', 2)),
    record('results', 2, 250, result('r-dlq', 'charge', 2, 'FAILURE', 'executor-b')),
    record('tasks', 2, 400, task('r-dlq', 'charge', 3)),
    record('results', 2, 450, result('r-dlq', 'charge', 3, 'FAILURE', 'executor-b')),
    record(
      'dlq',
      2,
      460,
      {
        originalTopic: TOPICS.tasks,
        originalPartition: 2,
        originalOffset: 2,
        originalKey: 'r-dlq',
        consumerGroup: `${PREFIX}.gamelan-engine`,
        reason: 'HANDLER_FAILED',
        errorClass: 'TaskFailedError',
        cause: 'gateway answered 503 <b>three</b> times',
        payload: JSON.stringify(task('r-dlq', 'charge', 3)),
        payloadEncoding: 'utf-8',
        failedAt: 'x',
      },
      {
        key: 'r-dlq',
        headers: { 'kafka_dlt-original-topic': TOPICS.tasks, 'kafka_dlt-exception-fqcn': 'TaskFailedError' },
      },
    ),
    record('events', 2, 470, { eventId: 'e3', runId: 'r-dlq', eventType: 'RUN_FAILED', timestamp: 'x' }),
    record('results', 1, 480, undefined, { key: null, decodeError: 'MESSAGE_DECODE_FAILED $ not JSON' }),
  ];
  const one = {
    memberId: 'executor-a-1111aaaa-0000',
    clientId: 'executor-a',
    assignment: { [TOPICS.tasks]: [0, 1, 2] },
  };
  const groups = [
    { at: T0, groupId: GROUP, state: 'Stable', members: [one] },
    { at: T0 + 120, groupId: GROUP, state: 'PreparingRebalance', members: [one] },
    {
      at: T0 + 180,
      groupId: GROUP,
      state: 'Stable',
      members: [
        { ...one, assignment: { [TOPICS.tasks]: [0, 1] } },
        { memberId: 'executor-b-2222bbbb-0000', clientId: 'executor-b', assignment: { [TOPICS.tasks]: [2] } },
      ],
    },
  ];
  const lag = [0, 100, 200, 300, 500].map((dt, i) => ({
    at: T0 + dt,
    groupId: GROUP,
    topic: TOPICS.tasks,
    partitions: [0, 1, 2].map((partition) => {
      const l = partition === 2 ? [0, 1, 1, 2, 0][i]! : 0;
      return { partition, committed: 3 - l, end: 3, lag: l };
    }),
  }));
  return { messages, groups, lag };
}

/** `runs` runs of `perRun` task/result pairs: a large flow for the sampling tests. */
export function largeRecording(runs: number, perRun: number): Recording {
  offsets.clear();
  const messages: RecordedMessage[] = [];
  let t = 0;
  for (let r = 0; r < runs; r++) {
    for (let n = 0; n < perRun; n++) {
      const runId = `run-${r}`;
      messages.push(record('tasks', r % 3, (t += 1), task(runId, `n${n}`, 1)));
      messages.push(record('results', r % 3, (t += 1), result(runId, `n${n}`, 1, 'SUCCESS', `executor-${r % 4}`, 0)));
    }
  }
  return { messages, groups: [], lag: [] };
}

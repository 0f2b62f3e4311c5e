import { taskIdOf } from '../protocol/index.js';
import type { RecordedMessage } from '../recorder/types.js';
import {
  ANOMALY_KINDS,
  type Anomaly,
  type AnomalyKind,
  type CheckHistoryOptions,
  type HistoryReport,
  type HistorySource,
  type RunKeyedRole,
  SPEC_ORDERED_ROLES,
} from './types.js';

// The history checker: reads a recorded flow (what really reached the log) after the fact and
// reports, per task, what a reliable engine and executors must never do. Pure: no broker, no clock.

interface TaskView {
  readonly taskId: string;
  readonly runId: string;
  readonly nodeId: string;
  readonly attempt: number;
  readonly token?: string;
}
interface EventView {
  readonly eventId: string;
  readonly eventType: string;
  readonly runId: string;
  readonly payload?: {
    readonly nodeId?: unknown;
    readonly attempt?: unknown;
    readonly taskId?: unknown;
    readonly status?: unknown;
  };
}
interface StatusView {
  readonly runId: string;
  readonly status: string;
}
interface DeadLetterView {
  readonly payload?: string | null;
  readonly payloadEncoding?: string;
}

/** How the engine settled an attempt, read from its events. */
type Settlement = { readonly how: 'completed' | 'failed' | 'timeout'; readonly message: RecordedMessage<EventView> };

const RUN_END_EVENTS = new Set(['RUN_COMPLETED', 'RUN_FAILED']);
const RUN_END_STATUSES = new Set(['COMPLETED', 'FAILED']);

export const where = (m: RecordedMessage): string => `${m.topic}-${m.partition}@${m.offset}`;

/** Log order: offsets within one partition, record timestamps across partitions. */
export function logOrder(a: RecordedMessage, b: RecordedMessage): number {
  if (a.topic === b.topic && a.partition === b.partition)
    return BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0;
  return a.timestamp - b.timestamp || a.receivedAt - b.receivedAt;
}

const messagesOf = (source: HistorySource): readonly RecordedMessage[] =>
  'messages' in source && typeof source.messages === 'function'
    ? source.messages()
    : (source as readonly RecordedMessage[]);

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** The task id an engine event is about, when it is about one attempt. */
function eventTaskId(event: EventView): string | undefined {
  const p = event.payload;
  if (typeof p?.taskId === 'string') return p.taskId;
  return typeof p?.nodeId === 'string' && typeof p.attempt === 'number'
    ? taskIdOf(event.runId, p.nodeId, p.attempt)
    : undefined;
}

function deadLetteredTaskId(value: DeadLetterView | undefined): string | undefined {
  if (!value?.payload || value.payloadEncoding === 'base64') return undefined;
  try {
    const original = JSON.parse(value.payload) as { taskId?: unknown };
    return typeof original?.taskId === 'string' ? original.taskId : undefined;
  } catch {
    return undefined;
  }
}

/** Check a recorded flow for lost, duplicated, late-accepted, out-of-order and unexplained tasks. */
export function checkHistory(source: HistorySource, options: CheckHistoryOptions = {}): HistoryReport {
  const ordered = options.orderedByRun ?? SPEC_ORDERED_ROLES;
  const maxExamples = options.maxExamples ?? 10;
  const all = messagesOf(source);
  const flow = all.filter((m) => m.value !== undefined && !(options.ignore?.(m) ?? false));

  const sent = new Map<string, RecordedMessage<TaskView>[]>();
  const results = new Map<string, RecordedMessage<TaskView>[]>();
  const deadLettered = new Set<string>();
  const finishedRuns = new Set<string>();
  const runs = new Set<string>();
  const eventsByRun = new Map<string, RecordedMessage<EventView>[]>();
  const eventIds = new Set<string>();
  let resentEvents = 0;
  for (const m of flow) {
    const runId = (m.value as { runId?: unknown }).runId;
    if (typeof runId === 'string') runs.add(runId);
    if (m.role === 'tasks') push(sent, (m as RecordedMessage<TaskView>).value!.taskId, m as RecordedMessage<TaskView>);
    else if (m.role === 'results')
      push(results, (m as RecordedMessage<TaskView>).value!.taskId, m as RecordedMessage<TaskView>);
    else if (m.role === 'dlq') {
      const taskId = deadLetteredTaskId(m.value as DeadLetterView);
      if (taskId) deadLettered.add(taskId);
    } else if (m.role === 'events') {
      const event = m.value as EventView;
      // A producer retry can write one event twice: the same eventId is the same event, not a second settlement.
      if (eventIds.has(event.eventId)) {
        resentEvents += 1;
        continue;
      }
      eventIds.add(event.eventId);
      push(eventsByRun, event.runId, m as RecordedMessage<EventView>);
      if (RUN_END_EVENTS.has(event.eventType)) finishedRuns.add(event.runId);
    } else if (m.role === 'status' && RUN_END_STATUSES.has((m.value as StatusView).status))
      finishedRuns.add((m.value as StatusView).runId);
  }
  for (const events of eventsByRun.values()) events.sort(logOrder);

  const seen: { anomaly: Anomaly; first: RecordedMessage | undefined }[] = [];
  const report = (
    kind: AnomalyKind,
    runId: string | undefined,
    taskId: string | undefined,
    detail: string,
    records: readonly RecordedMessage[],
  ) => seen.push({ anomaly: { kind, runId, taskId, detail, records: records.map(where) }, first: records[0] });

  // Settlements per attempt, in log order (a run's events share a partition in the spec dialect).
  const settlements = new Map<string, Settlement[]>();
  const completionsByNode = new Map<string, RecordedMessage<EventView>[]>();
  for (const events of eventsByRun.values()) {
    for (const m of events) {
      const event = m.value!;
      const taskId = eventTaskId(event);
      if (taskId === undefined) continue;
      if (event.eventType === 'NODE_COMPLETED') {
        push(settlements, taskId, { how: 'completed', message: m });
        push(completionsByNode, `${event.runId}/${String(event.payload?.nodeId)}`, m);
      } else if (event.eventType === 'NODE_FAILED')
        push(settlements, taskId, { how: event.payload?.status === 'TIMEOUT' ? 'timeout' : 'failed', message: m });
    }
  }

  // Lost: sent, never answered (no result, no dead letter), and the run never finished.
  for (const [taskId, copies] of sent) {
    const task = copies[0]!.value!;
    if (results.has(taskId) || deadLettered.has(taskId) || finishedRuns.has(task.runId)) continue;
    const timedOut = settlements.get(taskId)?.some((s) => s.how === 'timeout') ?? false;
    report(
      'lost',
      task.runId,
      taskId,
      `sent ${copies.length}×, no result and no dead letter, and run ${task.runId} never finished${timedOut ? ' (the engine timed this attempt out)' : ''}`,
      copies,
    );
  }

  // Duplicated and late-accepted: how the engine settled each attempt.
  for (const [taskId, list] of settlements) {
    if (list.length < 2) continue;
    const runId = list[0]!.message.value!.runId;
    const timeoutAt = list.findIndex((s) => s.how === 'timeout');
    const acceptedAfterTimeout = timeoutAt >= 0 ? list.slice(timeoutAt + 1).filter((s) => s.how !== 'timeout') : [];
    if (acceptedAfterTimeout.length > 0) {
      report(
        'lateAccepted',
        runId,
        taskId,
        `timed out, then a ${acceptedAfterTimeout.map((s) => s.how).join(' and ')} result was accepted`,
        [list[timeoutAt]!.message, ...acceptedAfterTimeout.map((s) => s.message)],
      );
    }
    const accepted = list.filter((s) => s.how !== 'timeout');
    if (accepted.length > 1)
      report(
        'duplicated',
        runId,
        taskId,
        `accepted ${accepted.length}× (${accepted.map((s) => s.how).join(', ')})`,
        accepted.map((s) => s.message),
      );
    else if (timeoutAt > 0 && acceptedAfterTimeout.length === 0)
      report(
        'duplicated',
        runId,
        taskId,
        `settled twice: ${list.map((s) => s.how).join(' then ')}`,
        list.map((s) => s.message),
      );
  }
  for (const [node, completions] of completionsByNode) {
    const attempts = [...new Set(completions.map((m) => eventTaskId(m.value!)))];
    if (attempts.length > 1)
      report(
        'duplicated',
        completions[0]!.value!.runId,
        attempts.at(-1),
        `node ${node} completed ${completions.length}× across attempts ${attempts.join(', ')}`,
        completions,
      );
  }

  // Unexplained: a result, or an engine completion, for a task never sent (or not with that token).
  for (const [taskId, list] of results) {
    const copies = sent.get(taskId);
    if (!copies) {
      report('unexplained', list[0]!.value!.runId, taskId, `${list.length} result(s) for a task never sent`, list);
      continue;
    }
    const tokens = new Set(copies.map((c) => c.value!.token));
    const forged = list.filter((r) => !tokens.has(r.value!.token));
    if (forged.length > 0)
      report(
        'unexplained',
        list[0]!.value!.runId,
        taskId,
        `${forged.length} result(s) whose token is not the one sent`,
        forged,
      );
  }
  for (const [taskId, list] of settlements) {
    const completions = list.filter((s) => s.how === 'completed');
    if (completions.length > 0 && !sent.has(taskId))
      report(
        'unexplained',
        completions[0]!.message.value!.runId,
        taskId,
        'the engine completed a task never sent',
        completions.map((s) => s.message),
      );
  }

  if (ordered.length > 0) checkRunOrder(flow, ordered, eventsByRun, report);

  // Examples in log order (of each anomaly's first record), whatever order the checks ran in.
  const found = seen.sort((a, b) => (a.first && b.first ? logOrder(a.first, b.first) : 0)).map((s) => s.anomaly);
  const counts = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, found.filter((a) => a.kind === k).length])) as Record<
    AnomalyKind,
    number
  >;
  const examples = Object.fromEntries(
    ANOMALY_KINDS.map((k) => [k, found.filter((a) => a.kind === k).slice(0, maxExamples)]),
  ) as Record<AnomalyKind, Anomaly[]>;
  const count = (map: Map<string, unknown[]>) => [...map.values()].reduce((n, l) => n + l.length, 0);
  return {
    ok: found.length === 0,
    counts,
    examples,
    stats: {
      runs: runs.size,
      runsFinished: [...finishedRuns].filter((r) => runs.has(r)).length,
      tasks: sent.size,
      resentTasks: count(sent) - sent.size,
      resentEvents,
      results: count(results),
      redeliveredResults: count(results) - results.size,
      deadLetters: flow.filter((m) => m.role === 'dlq').length,
      ignored: all.length - flow.length,
    },
  };
}

type Report = (
  kind: AnomalyKind,
  runId: string | undefined,
  taskId: string | undefined,
  detail: string,
  records: readonly RecordedMessage[],
) => void;

/**
 * Who wrote a run-keyed record, as far as the flow says: tasks and events come from the engine, a result from the
 * executor its executorId names. A result without one has no known writer: its publish time is not compared.
 */
function writerOf(role: RunKeyedRole, m: RecordedMessage): string | undefined {
  if (role !== 'results') return 'engine';
  const executorId = (m.value as { executorId?: unknown } | undefined)?.executorId;
  return typeof executorId === 'string' ? `executor ${executorId}` : undefined;
}

/** Per-run order on run-keyed roles: one partition per run, publish order = log order, and the engine's causal order. */
function checkRunOrder(
  flow: readonly RecordedMessage[],
  ordered: readonly RunKeyedRole[],
  eventsByRun: Map<string, RecordedMessage<EventView>[]>,
  report: Report,
): void {
  const byRunAndRole = new Map<string, RecordedMessage[]>();
  for (const m of flow) {
    if (!(ordered as readonly string[]).includes(m.role)) continue;
    push(byRunAndRole, `${(m.value as { runId: string }).runId}\u0000${m.role}`, m);
  }
  for (const [key, records] of byRunAndRole) {
    const [runId, role] = key.split('\u0000') as [string, RunKeyedRole];
    const partitions = [...new Set(records.map((m) => m.partition))].sort((a, b) => a - b);
    if (partitions.length > 1) {
      report(
        'outOfOrder',
        runId,
        undefined,
        `run ${runId}'s ${role} records are spread over partitions ${partitions.join(', ')}, so their order is lost`,
        records.slice(0, 5),
      );
      continue;
    }
    const inLog = [...records].sort(logOrder);
    // Kafka keeps one producer's order on a partition, not the order of records from several: two executors
    // answering tasks of one run race, and the one whose send was retried lands later with an earlier stamp.
    // So publish time is compared between records of the same writer only.
    const lastOfWriter = new Map<string, RecordedMessage>();
    for (const after of inLog) {
      const writer = writerOf(role, after);
      if (writer === undefined) continue;
      const before = lastOfWriter.get(writer);
      lastOfWriter.set(writer, after);
      if (before && after.timestamp < before.timestamp) {
        report(
          'outOfOrder',
          runId,
          (after.value as { taskId?: string }).taskId,
          `${role}: a record published at ${after.timestamp} sits after one published at ${before.timestamp} by the same ${writer}`,
          [before, after],
        );
      }
    }
    if (role === 'tasks') {
      const lastAttempt = new Map<string, RecordedMessage<TaskView>>();
      for (const m of inLog as RecordedMessage<TaskView>[]) {
        const previous = lastAttempt.get(m.value!.nodeId);
        if (previous && previous.value!.attempt > m.value!.attempt) {
          report(
            'outOfOrder',
            runId,
            m.value!.taskId,
            `tasks: attempt ${m.value!.attempt} of node ${m.value!.nodeId} sits after attempt ${previous.value!.attempt}`,
            [previous, m],
          );
        }
        if (!previous || previous.value!.attempt < m.value!.attempt) lastAttempt.set(m.value!.nodeId, m);
      }
    }
  }
  if (!ordered.includes('events')) return;
  // The engine's causal order: a node starts before it is settled, and nothing follows the run's end.
  for (const [runId, events] of eventsByRun) {
    if (new Set(events.map((m) => m.partition)).size > 1) continue; // already reported
    const started = new Set<string>();
    let ended: RecordedMessage<EventView> | undefined;
    for (const m of events) {
      const event = m.value!;
      const taskId = eventTaskId(event);
      if (ended) {
        report(
          'outOfOrder',
          runId,
          taskId,
          `events: ${event.eventType} after the run ended with ${ended.value!.eventType}`,
          [ended, m],
        );
      }
      if (event.eventType === 'NODE_STARTED' && taskId) started.add(taskId);
      if (
        (event.eventType === 'NODE_COMPLETED' || event.eventType === 'NODE_FAILED') &&
        taskId &&
        !started.has(taskId)
      ) {
        report('outOfOrder', runId, taskId, `events: ${event.eventType} of ${taskId} before its NODE_STARTED`, [m]);
      }
      if (RUN_END_EVENTS.has(event.eventType)) ended ??= m;
    }
  }
}

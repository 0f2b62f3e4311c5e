import type { RecordedMessage } from '../../recorder/types.js';

/** A node of a run that was attempted more than once, and the gaps between its attempts. */
export interface RetryRow {
  readonly runId: string;
  readonly nodeId: string;
  readonly attempts: readonly number[];
  /** ms between consecutive attempts' task records (the measure `toHaveRetried` checks against the backoff). */
  readonly gapsMs: readonly number[];
  /** How the node ended: the last result's status, "dead-lettered", or "no answer". */
  readonly outcome: string;
}

export interface DeadLetterRow {
  /** ms since the scenario's first moment. */
  readonly t: number;
  readonly where: string;
  readonly key: string | null;
  readonly runId?: string;
  readonly reason: string;
  readonly errorClass: string;
  readonly cause: string;
  readonly origin: string;
  readonly consumerGroup: string;
  readonly headers: readonly (readonly [string, string])[];
}

type Value = Record<string, unknown> | undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Nodes retried (more than one attempt published), in order of first attempt; at most `max`. */
export function buildRetryRows(messages: readonly RecordedMessage[], max: number): { rows: RetryRow[]; total: number } {
  const nodes = new Map<
    string,
    { runId: string; nodeId: string; tasks: { attempt: number; at: number }[]; outcome: string }
  >();
  for (const m of messages) {
    const v = m.value as Value;
    const runId = str(v?.runId);
    const nodeId = str(v?.nodeId);
    if (!runId || !nodeId) {
      if (m.role === 'dlq' && str(v?.originalKey)) {
        // A dead letter's node is in its payload (the original task).
        const task = parseJson(str(v?.payload));
        const key = `${str(task?.runId)}\u0000${str(task?.nodeId)}`;
        const node = nodes.get(key);
        if (node) node.outcome = 'dead-lettered';
      }
      continue;
    }
    const key = `${runId}\u0000${nodeId}`;
    const node = nodes.get(key) ?? { runId, nodeId, tasks: [], outcome: 'no answer' };
    nodes.set(key, node);
    if (m.role === 'tasks' && typeof v?.attempt === 'number') node.tasks.push({ attempt: v.attempt, at: m.timestamp });
    if (m.role === 'results' && node.outcome !== 'dead-lettered') node.outcome = str(v?.status) ?? node.outcome;
  }
  const retried = [...nodes.values()].filter((n) => n.tasks.length > 1);
  const rows = retried.slice(0, max).map((n) => {
    const tasks = [...n.tasks].sort((a, b) => a.attempt - b.attempt);
    return {
      runId: n.runId,
      nodeId: n.nodeId,
      attempts: tasks.map((t) => t.attempt),
      gapsMs: tasks.slice(1).map((t, i) => t.at - tasks[i]!.at),
      outcome: n.outcome,
    };
  });
  return { rows, total: retried.length };
}

function parseJson(text: string | undefined): Value {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Value) : undefined;
  } catch {
    return undefined;
  }
}

/** The dead letters with where they came from and all their headers; at most `max`. */
export function buildDeadLetterRows(
  messages: readonly RecordedMessage[],
  t0: number,
  max: number,
): { rows: DeadLetterRow[]; total: number } {
  const letters = messages.filter((m) => m.role === 'dlq');
  const rows = letters.slice(0, max).map((m) => {
    const v = m.value as Value;
    const runId = str(parseJson(str(v?.payload))?.runId) ?? m.key ?? undefined;
    return {
      t: Math.max(0, m.timestamp - t0),
      where: `${m.topic}-${m.partition}@${m.offset}`,
      key: m.key,
      ...(runId ? { runId } : {}),
      reason: str(v?.reason) ?? (m.decodeError ? 'not readable' : '?'),
      errorClass: str(v?.errorClass) ?? '',
      cause: str(v?.cause) ?? m.decodeError ?? '',
      origin: v
        ? `${str(v.originalTopic) ?? '?'}-${String(v.originalPartition ?? '?')}@${String(v.originalOffset ?? '?')}`
        : '',
      consumerGroup: str(v?.consumerGroup) ?? '',
      headers: Object.entries(m.headers).sort(([a], [b]) => a.localeCompare(b)),
    };
  });
  return { rows, total: letters.length };
}

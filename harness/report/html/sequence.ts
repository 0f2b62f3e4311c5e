import type { RecordedMessage } from '../../recorder/types.js';

/** Who appears as a lifeline: the engine, each topic partition, each executor, an executor group, an unknown producer. */
export interface Participant {
  readonly id: string;
  readonly label: string;
  readonly kind: 'engine' | 'topic' | 'executor' | 'group' | 'unknown';
  /** Full topic name or group id, for the tooltip. */
  readonly title: string;
}

export const ARROW_KINDS = ['task', 'deliver', 'result', 'event', 'status', 'dlq', 'undecoded'] as const;
export type ArrowKind = (typeof ARROW_KINDS)[number];

/** [ms since the scenario's first moment, from (participant index), to, kind (ARROW_KINDS index), label, run (index in runs, -1 none)]. */
export type Arrow = readonly [number, number, number, number, string, number];

export interface SequenceModel {
  readonly participants: readonly Participant[];
  readonly kinds: readonly ArrowKind[];
  /** Run ids in order of first appearance (the filter's choices). */
  readonly runs: readonly string[];
  readonly arrows: readonly Arrow[];
  /** Arrows the whole flow makes, before sampling. */
  readonly totalArrows: number;
  /** Set when the flow was larger than the page keeps: whole runs were kept in order, the rest left out. */
  readonly sampled?: { readonly runsKept: number; readonly runsTotal: number };
}

type Value = Record<string, unknown> | undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface Draft {
  readonly t: number;
  readonly seq: number;
  readonly from: string;
  readonly to: string;
  readonly kind: ArrowKind;
  readonly label: string;
  readonly runId: string | undefined;
}

const ROLE_ORDER = ['tasks', 'results', 'events', 'status', 'dlq'];

/**
 * The flow as a message sequence: the engine publishes tasks to a tasks partition; the executor that answered
 * (the result's executorId) takes it (when: its completedAt less its executionTime) and publishes its result;
 * the engine publishes events and status updates; whoever dead-lettered (the dead letter's consumer group)
 * publishes to the dead-letter topic. Records that did not decode come from an unknown producer.
 */
export function buildSequence(
  messages: readonly RecordedMessage[],
  t0: number,
  maxArrows: number,
  engineLabel = 'engine',
): SequenceModel {
  const participants = new Map<string, Participant>();
  const add = (p: Participant) => (participants.has(p.id) ? p.id : (participants.set(p.id, p), p.id));
  const engine = add({
    id: 'engine',
    label: engineLabel,
    kind: 'engine',
    title: `${engineLabel}: publishes tasks, events and status updates`,
  });
  const topic = (m: { role: string; topic: string; partition: number }) =>
    add({
      id: `${m.role}:${m.partition}`,
      label: `${m.role} p${m.partition}`,
      kind: 'topic',
      title: `${m.topic} partition ${m.partition}`,
    });
  const taskTimes = new Map<string, { t: number; partition: number; topic: string }>();
  const drafts: Draft[] = [];
  messages.forEach((m, seq) => {
    const v = m.value as Value;
    const runId = str(v?.runId) ?? (m.role === 'dlq' ? (m.key ?? undefined) : undefined);
    const push = (d: Omit<Draft, 'seq' | 'runId'>) => drafts.push({ ...d, seq, runId });
    if (v === undefined) {
      const unknown = add({
        id: 'unknown',
        label: 'unknown producer',
        kind: 'unknown',
        title: 'records that did not decode',
      });
      push({
        t: m.timestamp,
        from: unknown,
        to: topic(m),
        kind: 'undecoded',
        label: (m.decodeError ?? 'did not decode').slice(0, 60),
      });
      return;
    }
    const node = `${str(v.nodeId) ?? '?'}#${num(v.attempt) ?? '?'}`;
    switch (m.role) {
      case 'tasks': {
        const taskId = str(v.taskId);
        if (taskId) taskTimes.set(taskId, { t: m.timestamp, partition: m.partition, topic: m.topic });
        push({ t: m.timestamp, from: engine, to: topic(m), kind: 'task', label: `task ${node}` });
        break;
      }
      case 'results': {
        const executorId = str(v.executorId) ?? 'executor (no executorId)';
        const executor = add({
          id: `executor:${executorId}`,
          label: executorId,
          kind: 'executor',
          title: `executor ${executorId}`,
        });
        const task = taskTimes.get(str(v.taskId) ?? '');
        if (task) {
          const took = num(v.executionTime);
          const taken = took === undefined ? task.t : Math.max(task.t, m.timestamp - took * 1000);
          const from = topic({ role: 'tasks', topic: task.topic, partition: task.partition });
          drafts.push({
            t: Math.min(taken, m.timestamp),
            seq: seq - 0.5,
            from,
            to: executor,
            kind: 'deliver',
            label: `takes ${node}`,
            runId,
          });
        }
        push({
          t: m.timestamp,
          from: executor,
          to: topic(m),
          kind: 'result',
          label: `${str(v.status) ?? '?'} ${node}`,
        });
        break;
      }
      case 'events':
        push({ t: m.timestamp, from: engine, to: topic(m), kind: 'event', label: str(v.eventType) ?? 'event' });
        break;
      case 'status':
        push({ t: m.timestamp, from: engine, to: topic(m), kind: 'status', label: `status ${str(v.status) ?? '?'}` });
        break;
      case 'dlq': {
        const group = str(v.consumerGroup);
        const from =
          group === undefined
            ? add({ id: 'unknown', label: 'unknown producer', kind: 'unknown', title: 'no consumer group header' })
            : /engine/i.test(group)
              ? engine
              : add({ id: `group:${group}`, label: 'executor group', kind: 'group', title: `consumer group ${group}` });
        push({ t: m.timestamp, from, to: topic(m), kind: 'dlq', label: `dead letter ${str(v.reason) ?? ''}`.trim() });
        break;
      }
    }
  });
  drafts.sort((a, b) => a.t - b.t || a.seq - b.seq);

  const kept = sampleWholeRuns(drafts, maxArrows);
  const order = orderParticipants([...participants.values()]);
  const index = new Map(order.map((p, i) => [p.id, i]));
  const runs: string[] = [];
  const runIndex = new Map<string, number>();
  for (const d of kept.drafts)
    if (d.runId !== undefined && !runIndex.has(d.runId)) runIndex.set(d.runId, runs.push(d.runId) - 1);
  const arrows: Arrow[] = kept.drafts.map((d) => [
    Math.max(0, d.t - t0),
    index.get(d.from)!,
    index.get(d.to)!,
    ARROW_KINDS.indexOf(d.kind),
    d.label,
    d.runId === undefined ? -1 : runIndex.get(d.runId)!,
  ]);
  return {
    participants: order,
    kinds: ARROW_KINDS,
    runs,
    arrows,
    totalArrows: drafts.length,
    ...(kept.sampled ? { sampled: kept.sampled } : {}),
  };
}

/** Keep whole runs, in order of first appearance, while they fit; records of no run are kept while they fit. */
function sampleWholeRuns(
  drafts: readonly Draft[],
  max: number,
): { drafts: readonly Draft[]; sampled?: { runsKept: number; runsTotal: number } } {
  if (drafts.length <= max) return { drafts };
  const perRun = new Map<string, number>();
  for (const d of drafts) if (d.runId !== undefined) perRun.set(d.runId, (perRun.get(d.runId) ?? 0) + 1);
  let unowned = Math.min(max, drafts.filter((d) => d.runId === undefined).length);
  let budget = max - unowned;
  const keep = new Set<string>();
  for (const [runId, n] of perRun) {
    if (n > budget) break;
    keep.add(runId);
    budget -= n;
  }
  const out = drafts.filter((d) => (d.runId === undefined ? unowned-- > 0 : keep.has(d.runId)));
  return { drafts: out, sampled: { runsKept: keep.size, runsTotal: perRun.size } };
}

function orderParticipants(list: readonly Participant[]): Participant[] {
  const rank = (p: Participant): [number, number, string] => {
    if (p.kind === 'engine') return [0, 0, ''];
    if (p.kind === 'topic') {
      const [role, partition] = p.id.split(':') as [string, string];
      const r = ROLE_ORDER.indexOf(role);
      // tasks partitions, then the executors, then results, events, status, dead letters.
      return [r === 0 ? 1 : r + 2, Number(partition), ''];
    }
    if (p.kind === 'executor') return [2, 0, p.label];
    if (p.kind === 'group') return [2, 1, p.label];
    return [9, 0, p.label];
  };
  return [...list].sort((a, b) => {
    const [x1, y1, z1] = rank(a);
    const [x2, y2, z2] = rank(b);
    return x1 - x2 || y1 - y2 || z1.localeCompare(z2);
  });
}

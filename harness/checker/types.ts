import type { RecordedMessage } from '../recorder/types.js';

/**
 * What the history checker looks for, per task, in the spirit of Jepsen's queue checkers:
 * - `lost`: a task was sent, never answered (no result, no dead letter) and its run never finished;
 * - `duplicated`: a task's result was accepted twice, or a node completed twice across attempts;
 * - `lateAccepted`: the engine timed an attempt out, then still accepted a result for it;
 * - `outOfOrder`: a run's records broke the order the dialect promises (one partition per run, log
 *   order = publish order, causal order of the engine's events);
 * - `unexplained`: a result (or an engine completion) for a task that was never sent, or whose token
 *   is not the one sent.
 */
export const ANOMALY_KINDS = ['lost', 'duplicated', 'lateAccepted', 'outOfOrder', 'unexplained'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const ANOMALY_TITLES: Readonly<Record<AnomalyKind, string>> = {
  lost: 'lost (sent, never answered, run never finished)',
  duplicated: 'duplicated (accepted or completed twice)',
  lateAccepted: 'answered after its attempt timed out, but accepted',
  outOfOrder: 'out of order within a run',
  unexplained: 'unexplained (a result for no task sent)',
};

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly runId: string | undefined;
  readonly taskId: string | undefined;
  /** One sentence: what was seen. */
  readonly detail: string;
  /** The records involved, as `topic-partition@offset`. */
  readonly records: readonly string[];
}

/** Figures about the history that are not anomalies (at-least-once delivery makes some of them normal). */
export interface HistoryStats {
  readonly runs: number;
  readonly runsFinished: number;
  /** Distinct task ids sent. */
  readonly tasks: number;
  /** Task records beyond the first per task id (the engine's producer re-sent one). */
  readonly resentTasks: number;
  /** Event records whose eventId was already seen (a producer retry wrote them twice; counted once). */
  readonly resentEvents: number;
  readonly results: number;
  /** Result records beyond the first per task id (redeliveries the engine must ignore). */
  readonly redeliveredResults: number;
  readonly deadLetters: number;
  /** Records left out: undecodable ones and those the `ignore` option named. */
  readonly ignored: number;
}

export interface HistoryReport {
  /** No anomaly of any kind. */
  readonly ok: boolean;
  /** How many anomalies of each kind (all of them, not only the examples). */
  readonly counts: Readonly<Record<AnomalyKind, number>>;
  /** Up to `maxExamples` anomalies of each kind, in log order. */
  readonly examples: Readonly<Record<AnomalyKind, readonly Anomaly[]>>;
  readonly stats: HistoryStats;
}

/** Topic roles keyed by run id whose per-run order a dialect can promise. */
export type RunKeyedRole = 'tasks' | 'results' | 'events';

/** The spec dialect keys tasks, results and events by run id, so each run's records keep their order. */
export const SPEC_ORDERED_ROLES: readonly RunKeyedRole[] = ['tasks', 'results', 'events'];

export interface CheckHistoryOptions {
  /** Roles on which the dialect promises per-run order (default: the spec's tasks, results, events; [] checks none). */
  readonly orderedByRun?: readonly RunKeyedRole[];
  /** Records to leave out, e.g. poison planted on purpose. */
  readonly ignore?: (message: RecordedMessage) => boolean;
  /** Examples kept per kind (default 10). */
  readonly maxExamples?: number;
}

/** Anything that holds a recorded flow: a FlowRecorder, or the records themselves (e.g. read back from `--record`). */
export type HistorySource = { messages(): readonly RecordedMessage[] } | readonly RecordedMessage[];

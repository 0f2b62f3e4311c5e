import type { Recording } from '../../recorder/recording.js';
import { type AnomalySection, normalizeAnomalies } from './anomalies.js';
import { buildDeadLetterRows, buildRetryRows, type DeadLetterRow, type RetryRow } from './flow-tables.js';
import {
  DEFAULT_REPORT_LIMITS,
  type ReportInput,
  type ReportLimits,
  type ReportScenarioInput,
  type ReportStepInput,
} from './input.js';
import { buildLagCharts, type LagChartModel } from './lag.js';
import { buildMembership, type MembershipModel } from './membership.js';
import { buildSequence, type SequenceModel } from './sequence.js';
import type { FaultSchedule, PlannedFault } from '../../scenario/fault-schedule.js';

/** An applied fault on the page's timelines: [from ms, to ms (since the scenario's first moment), what, target, lifeline id or '']. */
export type FaultMark = readonly [number, number, string, string, string];

/** What one scenario's section of the page shows; plain data, embedded in the page as JSON for its script. */
export interface ScenarioModel {
  /** The anchor the summary links to. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly status: 'passed' | 'failed' | 'unknown';
  readonly durationMs: number;
  readonly error?: string;
  /** Not met, not failing (one line each); empty when there are none. */
  readonly warnings: readonly string[];
  readonly steps: readonly ReportStepInput[];
  /** [name, value as JSON]. */
  readonly measurements: readonly (readonly [string, string])[];
  /** Whether a recording was given (without one, the flow sections say so). */
  readonly recorded: boolean;
  readonly records: number;
  /** Wall-clock ms of the scenario's first recorded moment (times on the page are relative to it). */
  readonly t0: number;
  readonly sequence: SequenceModel;
  readonly arrowsPerPage: number;
  readonly membership: readonly MembershipModel[];
  readonly lag: readonly LagChartModel[];
  readonly retries: { readonly rows: readonly RetryRow[]; readonly total: number };
  readonly deadLetters: { readonly rows: readonly DeadLetterRow[]; readonly total: number };
  /** Undefined when no checker findings were given. */
  readonly anomalies?: AnomalySection;
  readonly seed?: number;
  readonly replay?: string;
  /** What the scenario planned from its seed, and what was applied (drawn on the three timelines). */
  readonly faults: { readonly planned: readonly PlannedFault[]; readonly marks: readonly FaultMark[] };
}

export interface PageModel {
  readonly title: string;
  readonly source: ReportInput['source'];
  readonly generatedAt: string;
  readonly startedAt?: string;
  readonly durationMs: number;
  readonly kafka?: string;
  readonly bootstrapServers: readonly string[];
  readonly seed?: number;
  readonly replay?: string;
  readonly passed: number;
  readonly failed: number;
  readonly scenarios: readonly ScenarioModel[];
}

const EMPTY: Recording = { messages: [], groups: [], lag: [] };

/** An HTML id from a name: letters, digits and dashes, unique on the page. */
function anchor(name: string, taken: Set<string>): string {
  const base = `scenario-${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'unnamed'
  }`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return id;
}

export function buildScenarioModel(
  input: ReportScenarioInput,
  id: string,
  limits: ReportLimits = DEFAULT_REPORT_LIMITS,
): ScenarioModel {
  const recording = input.recording ?? EMPTY;
  const times = [
    ...recording.messages.map((m) => m.timestamp),
    ...recording.groups.map((g) => g.at),
    ...recording.lag.map((l) => l.at),
  ].filter((t) => Number.isFinite(t));
  // min/max by loop: spreading 100k numbers into Math.min overflows the call stack.
  let t0 = Infinity;
  let tEnd = -Infinity;
  for (const t of times) {
    if (t < t0) t0 = t;
    if (t > tEnd) tEnd = t;
  }
  if (!Number.isFinite(t0)) t0 = tEnd = 0;
  const marks = faultMarks(input.faults, t0, tEnd);
  // A fault still in force at the last recorded moment stretches the timelines to its end.
  for (const m of marks) if (times.length > 0 && t0 + m[1] > tEnd) tEnd = t0 + m[1];
  const roleOf = new Map(recording.messages.map((m) => [m.topic, m.role as string]));
  const anomalies =
    input.anomalies === undefined ? undefined : normalizeAnomalies(input.anomalies, limits.maxAnomalies);
  return {
    id,
    name: input.name,
    description: input.description ?? '',
    status: input.status,
    durationMs: input.durationMs,
    ...(input.error === undefined ? {} : { error: input.error }),
    warnings: input.warnings ?? [],
    steps: input.steps,
    measurements: Object.entries(input.measurements ?? {}).map(
      ([k, v]) => [k, JSON.stringify(v) ?? 'undefined'] as const,
    ),
    recorded: input.recording !== undefined,
    records: recording.messages.length,
    t0,
    sequence: buildSequence(recording.messages, t0, limits.maxArrows, input.engineLabel),
    arrowsPerPage: limits.arrowsPerPage,
    membership: buildMembership(recording.groups, t0, tEnd, roleOf),
    lag: buildLagCharts(recording.lag, t0),
    retries: buildRetryRows(recording.messages, limits.maxRetryRows),
    deadLetters: buildDeadLetterRows(recording.messages, t0, limits.maxDeadLetters),
    ...(anomalies ? { anomalies } : {}),
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    ...(input.replay === undefined ? {} : { replay: input.replay }),
    faults: { planned: input.faults?.planned ?? [], marks },
  };
}

/** Applied faults relative to the scenario's first recorded moment (one still in force ends at the last one). */
export function faultMarks(faults: FaultSchedule | undefined, t0: number, tEnd: number): FaultMark[] {
  if (!faults || t0 === 0) return [];
  return faults.applied
    .filter((f) => Number.isFinite(f.from))
    .map((f) => {
      const from = Math.max(0, f.from - t0);
      const to = Math.max(from, (f.to ?? Math.max(tEnd, f.from)) - t0);
      return [from, to, f.what, f.target, f.lane ?? ''] as const;
    });
}

/** The page's model: the same for `run --report`, `contract --report` and `report <dir>`. */
export function buildPageModel(input: ReportInput, limits: Partial<ReportLimits> = {}, now = new Date()): PageModel {
  const all = { ...DEFAULT_REPORT_LIMITS, ...limits };
  const taken = new Set<string>();
  const scenarios = input.scenarios.map((s) => buildScenarioModel(s, anchor(s.name, taken), all));
  return {
    title: input.title,
    source: input.source,
    generatedAt: now.toISOString(),
    ...(input.startedAt ? { startedAt: input.startedAt } : {}),
    durationMs: input.durationMs ?? scenarios.reduce((sum, s) => sum + s.durationMs, 0),
    ...(input.kafka ? { kafka: input.kafka } : {}),
    bootstrapServers: input.bootstrapServers ?? [],
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    ...(input.replay === undefined ? {} : { replay: input.replay }),
    passed: scenarios.filter((s) => s.status === 'passed').length,
    failed: scenarios.filter((s) => s.status === 'failed').length,
    scenarios,
  };
}

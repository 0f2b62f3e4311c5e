import type { HistoryReport } from '../checker/types.js';
import type { FaultSchedule } from './fault-schedule.js';

/** What playing one scenario gave: for the console table, JSON and JUnit reports. */
export interface StepResult {
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  /** `skipped`: the cluster cannot give what the scenario needs (`skipReason` says what is missing). */
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  readonly error?: string;
  readonly skipReason?: string;
  /** The history checker on the scenario's recorded flow (absent when skipped or nothing was recorded). */
  readonly history?: ScenarioHistory;
  /** Figures the scenario measured (retry gaps, lag peaks, rebalance times…). */
  readonly measurements: Readonly<Record<string, unknown>>;
  /** The run's seed this scenario drew from: `run <name> --seed <seed>` replays its draws. */
  readonly seed?: number;
  /** The faults it planned (from the seed) and applied (with their times); absent when it injected none. */
  readonly faults?: FaultSchedule;
  /** The command that replays this scenario's draws alone (`run` adds it to its reports). */
  readonly replay?: string;
}

/** The checker's verdict as reports carry it: the counts, the examples and the figures. */
export type ScenarioHistory = Pick<HistoryReport, 'ok' | 'counts' | 'stats' | 'examples'> & {
  /** Whether anomalies failed this scenario (`checkHistory: 'fail'`, the chaos tag, or `run --strict-history`). */
  readonly policy: 'report' | 'fail';
};

export interface RunSummary {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly bootstrapServers: readonly string[];
  readonly kafka: string;
  /** The seed every scenario of the run drew from (given with --seed / GAMELAN_SEED, or drawn at random). */
  readonly seed?: number;
  /** The command that replays the whole run with its seed (`run` adds it to its reports). */
  readonly replay?: string;
  readonly passed: number;
  readonly failed: number;
  /** Scenarios the cluster could not host (see each one's skipReason). */
  readonly skipped: number;
  readonly scenarios: readonly ScenarioResult[];
}

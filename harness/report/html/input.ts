import type { Recording } from '../../recorder/recording.js';
import type { FaultSchedule } from '../../scenario/fault-schedule.js';

/** One step of a scenario (or one case of a contract run) as the report shows it. */
export interface ReportStepInput {
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

/** One scenario to report: its result and, when it was recorded, what the recorder saw. */
export interface ReportScenarioInput {
  readonly name: string;
  readonly description?: string;
  /** `unknown`: a flow read back without its run's result. */
  readonly status: 'passed' | 'failed' | 'unknown';
  readonly durationMs: number;
  readonly steps: readonly ReportStepInput[];
  readonly error?: string;
  /** What was not met but does not fail the scenario (a contract run's "should"s, e.g. "dropped without a trace"), one line each. */
  readonly warnings?: readonly string[];
  readonly measurements?: Readonly<Record<string, unknown>>;
  readonly recording?: Recording;
  /** Who publishes the tasks in the sequence diagram (default `engine`; a contract run's tasks come from the contract). */
  readonly engineLabel?: string;
  /**
   * The history checker's findings, in any of the shapes `normalizeAnomalies` reads (an array of anomalies,
   * `{ anomalies: […] }`, or a report with `counts` and `examples` by kind). Absent: the section says none were given.
   */
  readonly anomalies?: unknown;
  /** The seed the scenario drew from and the command that replays it. */
  readonly seed?: number;
  readonly replay?: string;
  /** Its planned and applied faults: the applied ones are drawn on the sequence, membership and lag timelines. */
  readonly faults?: FaultSchedule;
}

/** Everything one HTML report is made from: a run, a contract run, or a recording read back from disk. */
export interface ReportInput {
  readonly title: string;
  readonly source: 'run' | 'contract' | 'recording';
  readonly startedAt?: string;
  readonly durationMs?: number;
  /** Where Kafka ran (provider) and its bootstrap servers, when known. */
  readonly kafka?: string;
  readonly bootstrapServers?: readonly string[];
  /** The run's seed and the command that replays the whole run. */
  readonly seed?: number;
  readonly replay?: string;
  readonly scenarios: readonly ReportScenarioInput[];
}

/** How much of a large flow the page embeds (the rest is counted and said on the page). */
export interface ReportLimits {
  /** Arrows of one scenario's sequence diagram embedded in the page; whole runs are kept (default 20 000). */
  readonly maxArrows: number;
  /** Arrows drawn per page of the diagram (default 250). */
  readonly arrowsPerPage: number;
  /** Dead letters listed per scenario (default 500). */
  readonly maxDeadLetters: number;
  /** Retried nodes listed per scenario (default 300). */
  readonly maxRetryRows: number;
  /** Anomalies listed per scenario (default 300). */
  readonly maxAnomalies: number;
}

export const DEFAULT_REPORT_LIMITS: ReportLimits = {
  maxArrows: 20_000,
  arrowsPerPage: 250,
  maxDeadLetters: 500,
  maxRetryRows: 300,
  maxAnomalies: 300,
};

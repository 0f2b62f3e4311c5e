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
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  readonly error?: string;
  /** Figures the scenario measured (retry gaps, lag peaks, rebalance times…). */
  readonly measurements: Readonly<Record<string, unknown>>;
}

export interface RunSummary {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly bootstrapServers: readonly string[];
  readonly kafka: string;
  readonly passed: number;
  readonly failed: number;
  readonly scenarios: readonly ScenarioResult[];
}

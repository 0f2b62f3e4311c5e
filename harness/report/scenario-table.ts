import Table from 'cli-table3';
import { stdoutColors as pc } from '../colors.js';
import type { RunSummary, ScenarioResult } from '../scenario/result.js';

export interface ScenarioTableOptions {
  /** The command that replays these scenarios with the run's seed (each failed one gets its own line). */
  readonly replay?: (scenarios: readonly ScenarioResult[]) => string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The pass/fail table `run` prints, with durations, and the first failure of each failed scenario. */
export function renderScenarioTable(summary: RunSummary, options: ScenarioTableOptions = {}): string {
  const table = new Table({ head: ['scenario', 'result', 'duration', 'steps'], style: { head: [], border: [] } });
  for (const s of summary.scenarios) {
    const passedSteps = s.steps.filter((step) => step.status === 'passed').length;
    const result =
      s.status === 'passed' ? pc.green('PASS') : s.status === 'skipped' ? pc.yellow('SKIP') : pc.red('FAIL');
    table.push([s.name, result, seconds(s.durationMs), `${passedSteps}/${s.steps.length}`]);
  }
  const lines = [table.toString()];
  for (const s of summary.scenarios.filter((x) => x.status === 'failed')) {
    lines.push(pc.red(`✗ ${s.name}: ${s.error ?? 'failed'}`));
    if (summary.seed !== undefined && options.replay)
      lines.push(`  replay it with seed ${summary.seed}: ${options.replay([s])}`);
  }
  for (const s of summary.scenarios.filter((x) => x.status === 'skipped'))
    lines.push(pc.yellow(`- ${s.name} skipped: ${s.skipReason ?? 'not played'}`));
  for (const s of summary.scenarios.filter((x) => x.history && !x.history.ok && x.status !== 'failed')) {
    const found = Object.entries(s.history!.counts)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    lines.push(pc.yellow(`! ${s.name}: history anomalies (reported, not failing): ${found}`));
  }
  lines.push(
    `${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`,
  );
  if (summary.seed !== undefined)
    lines.push(`seed ${summary.seed}${options.replay ? `; replay: ${options.replay(summary.scenarios)}` : ''}`);
  return lines.join('\n');
}

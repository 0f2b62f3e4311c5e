import Table from 'cli-table3';
import pc from 'picocolors';
import type { RunSummary } from '../scenario/result.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The pass/fail table `run` prints, with durations, and the first failure of each failed scenario. */
export function renderScenarioTable(summary: RunSummary): string {
  const table = new Table({ head: ['scenario', 'result', 'duration', 'steps'], style: { head: [], border: [] } });
  for (const s of summary.scenarios) {
    const passedSteps = s.steps.filter((step) => step.status === 'passed').length;
    table.push([s.name, s.status === 'passed' ? pc.green('PASS') : pc.red('FAIL'), seconds(s.durationMs), `${passedSteps}/${s.steps.length}`]);
  }
  const lines = [table.toString()];
  for (const s of summary.scenarios.filter((x) => x.status === 'failed')) {
    lines.push(pc.red(`✗ ${s.name}: ${s.error ?? 'failed'}`));
  }
  lines.push(`${summary.passed} passed, ${summary.failed} failed`);
  return lines.join('\n');
}

import Table from 'cli-table3';
import { stdoutColors as pc } from '../colors.js';
import { ANOMALY_KINDS, ANOMALY_TITLES, type HistoryReport } from './types.js';

const plain = { head: [], border: [] };

/** A summary table (one row per anomaly kind), then one table of examples per kind that has any, then the figures. */
export function renderHistoryReport(report: HistoryReport): string {
  const summary = new Table({
    head: ['anomaly', 'count', 'first example'],
    style: plain,
    wordWrap: true,
    colWidths: [null, null, 70],
  });
  for (const kind of ANOMALY_KINDS) {
    const n = report.counts[kind];
    const first = report.examples[kind][0];
    summary.push([
      ANOMALY_TITLES[kind],
      n === 0 ? pc.green('0') : pc.red(String(n)),
      first ? `${first.taskId ?? first.runId ?? ''}: ${first.detail}` : '',
    ]);
  }
  const lines = [summary.toString()];
  for (const kind of ANOMALY_KINDS) {
    const examples = report.examples[kind];
    if (examples.length === 0) continue;
    const table = new Table({
      head: ['run', 'task', 'what was seen', 'records'],
      style: plain,
      wordWrap: true,
      colWidths: [null, null, 60, null],
    });
    for (const a of examples) table.push([a.runId ?? '-', a.taskId ?? '-', a.detail, a.records.join('\n')]);
    const more = report.counts[kind] - examples.length;
    lines.push(
      pc.red(`${ANOMALY_TITLES[kind]}: ${report.counts[kind]}${more > 0 ? ` (first ${examples.length} shown)` : ''}`),
      table.toString(),
    );
  }
  const s = report.stats;
  lines.push(
    `${s.runs} runs (${s.runsFinished} finished), ${s.tasks} tasks (${s.resentTasks} re-sent), ${s.results} results (${s.redeliveredResults} redelivered), ` +
      `${s.deadLetters} dead letters, ${s.resentEvents} re-sent events, ${s.ignored} records ignored — ${report.ok ? pc.green('no anomalies') : pc.red('anomalies found')}`,
  );
  return lines.join('\n');
}

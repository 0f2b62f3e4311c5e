import { checkHistory } from '../checker/check.js';
import { renderHistoryReport } from '../checker/table.js';
import { ANOMALY_KINDS, type CheckHistoryOptions, type HistoryReport, type HistorySource } from '../checker/types.js';
import { eventually, fail, type MatchResult, pass, type WaitOptions } from './result.js';

const isReport = (value: unknown): value is HistoryReport =>
  typeof value === 'object' && value !== null && 'counts' in value && 'examples' in value && 'stats' in value;

/**
 * The history checker finds no anomaly: nothing lost, duplicated, accepted after its timeout, out of
 * run order, or unexplained. Takes a FlowRecorder (re-checked until clean or `timeoutMs`, since
 * answers may still be on their way), the records themselves, or a report from `checkHistory`.
 */
export function noAnomalies(
  history: HistorySource | HistoryReport,
  options: CheckHistoryOptions & WaitOptions = {},
): Promise<MatchResult> {
  const check = (): MatchResult => {
    const report = isReport(history) ? history : checkHistory(history, options);
    const counts = ANOMALY_KINDS.map((k) => `${k} ${report.counts[k]}`).join(', ');
    const zero = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0]));
    return report.ok
      ? pass(
          `expected anomalies in the history, found none (${report.stats.tasks} tasks, ${report.stats.runs} runs)`,
          report.counts,
          zero,
        )
      : fail(
          `expected no anomalies in the history; found ${counts}\n${renderHistoryReport(report)}`,
          report.counts,
          zero,
        );
  };
  return eventually(check, isReport(history) || Array.isArray(history) ? { ...options, timeoutMs: 0 } : options);
}

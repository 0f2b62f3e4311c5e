// `gamelan-kafka-harness/report`: what a run leaves behind and how to read it — a console table, JSON, JUnit XML
// (what `run --json/--junit` write), the self-contained HTML page, recordings (`run --record`) and the history
// checker over them, and the retry figures a report shows.
export { renderScenarioTable } from '../report/scenario-table.js';
export { writeJsonReport } from '../report/json.js';
export { writeJUnitReport } from '../report/junit.js';
export {
  renderHtmlReport,
  reportInputFromContract,
  reportInputFromRecordDir,
  reportInputFromRun,
  writeHtmlReport,
  type ReportAnomaly,
  type ReportInput,
  type ReportScenarioInput,
} from '../report/html/index.js';
export { readRecording, recordingOf, writeRecording, type Recording } from '../recorder/recording.js';
/** The history checker (`noAnomalies` and `toHaveNoAnomalies` run it on a live flow); a recorded flow read back. */
export {
  ANOMALY_KINDS,
  checkHistory,
  historyFromJsonLines,
  readRecordedFlow,
  renderHistoryReport,
  type Anomaly,
  type AnomalyKind,
  type CheckHistoryOptions,
  type HistoryReport,
  type HistorySource,
} from '../checker/index.js';
/** The attempts of a node and the gaps between them, as `retriedTimes` measures them (for a report's figures). */
export { attemptGaps } from '../matchers/retried.js';

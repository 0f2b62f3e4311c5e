export { checkHistory, logOrder } from './check.js';
export { orderedByRunFor } from './ordering.js';
export { historyFromJsonLines, readRecordedFlow } from './read.js';
export { renderHistoryReport } from './table.js';
export {
  ANOMALY_KINDS,
  ANOMALY_TITLES,
  type Anomaly,
  type AnomalyKind,
  type CheckHistoryOptions,
  type HistoryReport,
  type HistorySource,
  type HistoryStats,
  type RunKeyedRole,
  SPEC_ORDERED_ROLES,
} from './types.js';

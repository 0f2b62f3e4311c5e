import { ANOMALY_TITLES, checkHistory } from '../../checker/index.js';
import type { Recording } from '../../recorder/recording.js';

/** The history checker run on a recorded flow, in the shape the report's anomalies section reads (with titles). */
export function historyFindings(recording: Recording): unknown {
  return { ...checkHistory(recording.messages, { maxExamples: 100 }), titles: ANOMALY_TITLES };
}

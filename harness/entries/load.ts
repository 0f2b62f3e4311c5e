// `gamelan-kafka-harness/load`: drive tasks at a rate through fake or real executors and judge the figures
// against SLOs (what `gamelan-harness load` does).
export { runLoad, type LoadRunReport, type RunLoadOptions } from '../load/run-load.js';
export { type LatencySummary, type LoadReport } from '../load/drive.js';
export { checkSlos, parseSlo, SLO_METRICS, type Slo, type SloMetric, type SloVerdict } from '../load/slo.js';

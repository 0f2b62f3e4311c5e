// `gamelan-harness conformance`: how far the records on a cluster are from a dialect, topic by topic.
export { checkConformance, type ConformanceOptions } from './check.js';
export {
  conformanceReport,
  TopicConformanceBuilder,
  type ConformanceInput,
  type ConformanceReport,
  type ConformanceVerdict,
  CONFORMANCE_VERDICTS,
  type OtherDialectTopic,
  type DeviationSummary,
  type ExampleRecord,
  type TopicConformance,
} from './report.js';
export { renderConformance } from './render.js';
export { parseSince } from './since.js';

// `gamelan-kafka-harness/conformance`: read the five topics of any cluster and report, per topic, how far its
// records are from a dialect (what `gamelan-harness conformance` prints).
export {
  checkConformance,
  renderConformance,
  type ConformanceOptions,
  type ConformanceReport,
  type DeviationSummary,
  type TopicConformance,
} from '../conformance/index.js';

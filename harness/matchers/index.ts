export { everyMessageMatchesSchema } from './schema.js';
export { deadLettered, type DeadLetteredOptions } from './dead-lettered.js';
export { lagAtMost, type LagOptions } from './lag.js';
export { noTaskLostOrDuplicated } from './no-loss.js';
export { noAnomalies } from './no-anomalies.js';
export type { RecordedFlow } from './flow.js';
export {
  type AsymmetricMatcherLike,
  type Equals,
  isAsymmetricMatcher,
  matchesPartial,
  subsetForDiff,
} from './partial.js';
export { type ExpectedMessage, havePublished, type PublishedOptions } from './published.js';
export { ownershipProblem, rebalancedTo, type RebalancedOptions } from './rebalanced.js';
export {
  type CompareOptions,
  DEFAULT_MATCHER_TIMEOUT_MS,
  eventually,
  type MatchResult,
  negatedWait,
  type WaitOptions,
} from './result.js';
export { attemptGaps, retriedTimes, type RetriedOptions } from './retried.js';
export { preservedRunOrder } from './run-order.js';
export { runCompleted, runEnded, runFailed } from './run-outcome.js';

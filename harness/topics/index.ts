export { describeTopics, leadersVisible, type PartitionDescription, type TopicDescription } from './describe.js';
// Planning is a pure function of the configuration and lives there; re-exported for provisioning callers.
export { planTopics, type TopicPlan, type TopicsPlan } from '../config/topic-plan.js';
export { provisionTopics, type ProvisionOptions, type ProvisionReport, type TopicDrift } from './provision.js';
export { consumerLag, type PartitionLag, totalLag } from './lag.js';
export {
  applyOffsetReset,
  groupIsInactive,
  type OffsetResetPlan,
  planOffsetReset,
  resetOffsets,
  type ResetTarget,
} from './reset-offsets.js';
export { readTopic, type ReadTopicOptions } from './read-topic.js';

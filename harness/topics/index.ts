export { describeTopics, leadersVisible, type PartitionDescription, type TopicDescription } from './describe.js';
export { planTopics, type TopicPlan, type TopicsPlan } from './plan.js';
export { provisionTopics, type ProvisionOptions, type ProvisionReport, type TopicDrift } from './provision.js';
export { consumerLag, type PartitionLag, resetOffsets, type ResetTarget, totalLag } from './lag.js';
export { readTopic, type ReadTopicOptions } from './read-topic.js';

// `gamelan-kafka-harness/brokers`: clusters below the stack — the providers and startBroker, diagnose (what
// `doctor` prints), topic provisioning, lag and offsets, and Kafka's own tools (faults are in `/faults`). Most
// users need only `startStack`, `connectBroker` and `onBroker` from the root entry.
export {
  ContainerBrokerProvider,
  ComposeBrokerProvider,
  createProvider,
  DEFAULT_KAFKA_VERSION,
  diagnose,
  ExternalBrokerProvider,
  NativeBrokerProvider,
  PROVIDER_KINDS,
  startBroker,
  waitForCluster,
  type BrokerProvider,
  type BrokerStartOptions,
  type ContainerProviderOptions,
  type ComposeProviderOptions,
  type Diagnosis,
  type ExternalProviderOptions,
  type NativeProviderOptions,
  type NodeFaultDriver,
  type ProviderKind,
  type StartedBroker,
  type StartedNativeBroker,
} from '../brokers/index.js';

// Topics on a cluster: provisioning (idempotent), describing, reading, lag and offset resets.
export {
  consumerLag,
  describeTopics,
  planTopics,
  provisionTopics,
  readTopic,
  resetOffsets,
  totalLag,
  type PartitionLag,
  type ProvisionReport,
  type ReadTopicOptions,
  type ResetTarget,
  type TopicDescription,
} from '../topics/index.js';
/** Kafka's own `kafka-consumer-groups --describe`, to compare the harness's figures with. */
export { describeGroupWithKafkaTool, type KafkaToolLag } from '../topics/kafka-tool.js';

// The Kafka client interface's config resource types (for `admin.describeConfigs`).
export { CONFIG_RESOURCE } from '../clients/client-api.js';

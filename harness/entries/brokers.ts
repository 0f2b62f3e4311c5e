// `gamelan-kafka-harness/brokers`: clusters below the stack — the providers and startBroker, diagnose (what
// `doctor` prints), topic provisioning, lag and offsets, Kafka's own tools, and faults. Most users need only
// `startStack`, `connectBroker` and `onBroker` from the root entry.
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

// Faults: network faults through Toxiproxy and broker faults (also at `gamelan-kafka-harness/faults`).
export {
  ADVERTISED_LANE,
  advertisedProxies,
  brokerAddresses,
  BrokerFaults,
  findToxiproxy,
  NetworkFaults,
  startToxiproxy,
  type ActiveFault,
  type AdvertisedProxies,
  type BrokerAddress,
  type DrivenCluster,
  type FaultableCluster,
  type FaultTarget,
  type NetworkFaultsOptions,
  type PartitionLeader,
  type StartedToxiproxy,
} from '../faults/index.js';

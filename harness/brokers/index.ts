// brokers/: start, reach and stop Kafka. Layout:
//   types.ts           the BrokerProvider contract (start → StartedBroker → stop)
//   select.ts          --kafka auto|native|container|compose|external → a provider; `doctor`
//   start-template.ts  the one start routine of native/container/compose: broker count, ports,
//                      cleanup registration, readiness, an idempotent stop undoing the launch newest first
//   started.ts         the StartedBroker every provider returns (clients, shared admin, stop, asyncDispose)
//   readiness.ts       ready = the cluster answers with every broker and a controller
//   security-failure.ts  a refused login or an untrusted certificate as one sentence (BROKER_AUTH_FAILED)
//   kraft/             a KRaft node as the harness configures it, whatever launches it (server.properties,
//                      log4j2, JVM flags, ports, cluster ids, secure listeners and their TLS material)
//   native/ container/ compose.ts external.ts   each provider's own launch code
//   docker.ts          the Docker engine for container and compose (images, reaper)
// Below it: config/ (bootstrap servers, broker counts, topic plans) and kafka-distribution/ (JDK, jars,
// Kafka's tools). brokers/ never imports topics/ (test/unit/architecture). Only harness/stack picks and
// starts a broker for the harness; startBroker is its primitive.
export {
  PROVIDER_KINDS,
  type BrokerProvider,
  type BrokerStartOptions,
  type ConcreteProviderKind,
  type NodeFaultDriver,
  type ProgressEvent,
  type ProviderKind,
  type StartedBroker,
} from './types.js';
export {
  createProvider,
  diagnose,
  explainAuto,
  resolveProvider,
  type AutoChoice,
  type Diagnosis,
  type SelectOptions,
} from './select.js';
export {
  NativeBrokerProvider,
  type NativeNodeInfo,
  type NativeProviderOptions,
  type NativeStartTimings,
  type StartedNativeBroker,
} from './native/index.js';
export { DEFAULT_KAFKA_VERSION } from '../kafka-distribution/index.js';
export { ExternalBrokerProvider, type ExternalProviderOptions } from './external.js';
export {
  ContainerBrokerProvider,
  type ContainerProviderOptions,
  type StartedContainerBroker,
} from './container/provider.js';
export {
  COMPOSE_FILE,
  ComposeBrokerProvider,
  composeDown,
  type ComposeProviderOptions,
  type StartedComposeBroker,
} from './compose.js';
export {
  HARNESS_LABEL,
  KAFKA_IMAGE_CANDIDATES,
  LOCAL_KAFKA_IMAGE,
  OFFICIAL_KAFKA_IMAGE,
  START_LABEL,
} from './docker.js';
export { waitForCluster, type ClusterInfo, type WaitForClusterOptions } from './readiness.js';

export { startBroker } from './start-broker.js';

// The public API of gamelan-kafka-harness, root entry: the common path, in the order of the data path
// (broker → workspace → engine ⇄ Kafka ⇄ executors → recorder → matchers), with the scenario and the errors.
// Named exports only, at most 35 runtime names (a unit test counts them); loading it loads neither msw nor faker.
// The rest lives in subpaths, one file each under harness/entries/ (docs/api.md lists them).

export {
  ERROR_CODES,
  BrokerError,
  ConfigError,
  ContractError,
  FaultError,
  HarnessError,
  ProtocolError,
  TimeoutError,
  TopicError,
  type ErrorCode,
} from './errors.js';

// Configuration: gamelan.kafka.* from Gamelan's own application.properties / application.yaml (the rest: /config).
export { readConfig, type ApplicationConfig, type GamelanKafkaConfig } from './config/index.js';
export type { TopicRole } from './vocabulary.js';
export type { ClientSecurity, SecurityMode } from './config/security.js';
export type { ReadConfigOptions } from './config/read.js';

// A broker (the stack chooses and starts one, or connects to a running one) and isolated runs on it.
export { startStack, type StackOptions, type StartedStack } from './stack/start-stack.js';
export { connectBroker, onBroker, type BrokerSource } from './stack/on-broker.js';
export type { ProviderKind, StartedBroker } from './brokers/types.js';
// The harness's own Kafka client interface (what StartedBroker.kafka()/admin() and Workspace.kafka/admin are);
// kafkajsClient makes a raw kafkajs client from the harness's copy, for who asks for one.
export type {
  Admin as KafkaAdmin,
  ClientKind,
  ClientLogLevel,
  ConsumedMessage,
  Consumer as KafkaConsumer,
  GroupProtocol,
  KafkaClient,
  ProducedMessage,
  Producer as KafkaProducer,
  RecordHeaders,
} from './clients/client-api.js';
export { kafkajsClient } from './clients/create-client.js';
export {
  openWorkspace,
  type OpenWorkspaceOptions,
  type Workspace,
  type WorkspaceDialect,
  type WorkspaceOverrides,
} from './workspace/index.js';

// The messages handlers and matchers see (the protocol library itself: gamelan-kafka-harness/protocol).
export type {
  DeadLetterMessage,
  ExecutionStatus,
  StatusUpdateMessage,
  TaskMessage,
  TaskResultMessage,
  WorkflowEventMessage,
} from './protocol/index.js';

export { ManualClock, type Clock } from './engine/clock.js';
export type { RunState, RunStatus } from './engine/core.js';
export { FakeEngine, type FakeEngineOptions } from './engine/engine.js';
export { readWorkflows, type WorkflowDefinition } from './engine/workflow.js';

export {
  behaviours,
  ExecutorCrash,
  type HandlerContext,
  type TaskHandler,
  type TaskOutput,
} from './executors/handler.js';
export { FakeExecutor, type FakeExecutorOptions } from './executors/executor.js';

export { FlowRecorder, type FlowRecorderOptions } from './recorder/recorder.js';
export type { LagSample, RecordedMessage } from './recorder/types.js';
export type { GroupSnapshot } from './topics/group-assignment.js';

export {
  deadLettered,
  everyMessageMatchesSchema,
  havePublished,
  lagAtMost,
  noAnomalies,
  noTaskLostOrDuplicated,
  preservedRunOrder,
  rebalancedTo,
  retriedTimes,
  runCompleted,
  runFailed,
  type DeadLetteredOptions,
  type ExpectedMessage,
  type LagOptions,
  type MatchResult,
  type PublishedOptions,
  type RebalancedOptions,
  type RecordedFlow,
  type RetriedOptions,
  type WaitOptions,
} from './matchers/index.js';
export type { Anomaly, AnomalyKind, CheckHistoryOptions, HistoryReport, HistorySource } from './checker/index.js';

export { defineScenario, type ScenarioDefinition } from './scenario/define.js';
export type { ScenarioContext } from './scenario/context.js';
export { byLength, type ScenarioLength } from './scenario/length.js';
export type { RunSummary, ScenarioResult } from './scenario/result.js';

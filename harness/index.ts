// The public API of gamelan-kafka-harness: named exports only, in the order of the data path
// (configuration → broker → topics → engine ⇄ Kafka ⇄ executors → recorder → matchers → report).

export { ERROR_CODES, BrokerError, ConfigError, ContractError, FaultError, HarnessError, ProtocolError, TimeoutError, TopicError, type ErrorCode } from './errors.js';

export { DEFAULT_CONFIG, KNOWN_KEYS, loadConfig, parseConfig, retentionMs, TOPIC_ROLES, topicNames, type GamelanKafkaConfig, type LoadedConfig, type TopicRole } from './config/index.js';

export { DEFAULT_KAFKA_VERSION, diagnose, startBroker, type BrokerProvider, type BrokerStartOptions, type ProviderKind, type StartedBroker } from './brokers/index.js';
export { startStack, type StackOptions, type StartedStack } from './stack/start-stack.js';
export { openWorkspace, type OpenWorkspaceOptions, type Workspace, type WorkspaceDialect, type WorkspaceOverrides } from './workspace/index.js';

export { consumerLag, describeTopics, planTopics, provisionTopics, resetOffsets, type PartitionLag, type ProvisionReport, type TopicDescription } from './topics/index.js';

export {
  decodeRecord,
  encodeRecord,
  keyFor,
  partitionForKey,
  taskIdOf,
  type DeadLetterMessage,
  type ExecutionStatus,
  type StatusUpdateMessage,
  type TaskMessage,
  type TaskResultMessage,
  type WorkflowEventMessage,
} from './protocol/index.js';
// Wire dialects: the README (spec) and the Gamelan Java code (upstream); see the README's Dialects section.
export {
  DIALECT_NAMES,
  DIALECTS,
  detectDialect,
  dialectNamed,
  readRecordIn,
  specDialect,
  upstreamDialect,
  type Deviation,
  type DeviationRule,
  type Dialect,
  type DialectName,
  type DialectReadResult,
  type DialectRecord,
  type MappingNote,
  type ReadDialect,
} from './protocol/index.js';
export { checkConformance, renderConformance, type ConformanceReport, type TopicConformance } from './conformance/index.js';
export { microProfileEnvironment } from './config/quarkus.js';
export type { LoadOptions } from './config/load.js';
export {
  DeadLetterHandler,
  DeadLetterPublisher,
  EventConsumer,
  EventPublisher,
  ResultConsumer,
  ResultProducer,
  StatusConsumer,
  StatusPublisher,
  TaskConsumer,
  TaskProducer,
} from './clients/index.js';

export { ManualClock, systemClock, type Clock } from './engine/clock.js';
export { WORKFLOW_EVENT_TYPES, type RunState, type RunStatus } from './engine/core.js';
export { FakeEngine, type FakeEngineOptions } from './engine/engine.js';
export { loadWorkflow, loadWorkflows, parseWorkflow, type WorkflowDefinition } from './engine/workflow.js';

export { behaviours, ExecutorCrash, type HandlerContext, type TaskHandler, type TaskOutput } from './executors/handler.js';
export { FakeExecutor, type FakeExecutorOptions } from './executors/executor.js';

export { FlowRecorder, type FlowRecorderOptions } from './recorder/recorder.js';
export { decodeForRecorder, recordDecoderFor } from './recorder/decode.js';
export type { GroupSnapshot, LagSample, RecordedMessage } from './recorder/types.js';
export { readRecording, recordingOf, writeRecording, type Recording } from './recorder/recording.js';
export {
  renderHtmlReport,
  reportInputFromContract,
  reportInputFromRecordDir,
  reportInputFromRun,
  writeHtmlReport,
  type ReportAnomaly,
  type ReportInput,
  type ReportScenarioInput,
} from './report/html/index.js';

export {
  deadLettered,
  everyMessageMatchesContract,
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

// Seeded faker builders of valid messages (same seed, same message), for tests and for `produce --build`.
export {
  buildDeadLetter,
  buildStatusUpdate,
  buildTask,
  buildTaskResult,
  buildWorkflowEvent,
  EVENT_TYPES,
  RUN_STATUSES,
  seededFaker,
  type BuildOptions,
} from '../fixtures/builders/index.js';

export { ANOMALY_KINDS, checkHistory, renderHistoryReport, type Anomaly, type AnomalyKind, type CheckHistoryOptions, type HistoryReport, type HistorySource } from './checker/index.js';

export { defineScenario, type ScenarioDefinition } from './scenario/define.js';
export type { ScenarioContext } from './scenario/context.js';
export { runScenarios, type LoadedScenario } from './scenario/runner.js';
export { loadScenarios } from './scenario/load.js';
export type { RunSummary, ScenarioResult } from './scenario/result.js';

export {
  checkContract,
  checkExecutorContract,
  checkHandlerContract,
  contractCases,
  CONTRACT_RULES,
  formatViolation,
  renderContractSummary,
  runExecutorContract,
  runHandlerContract,
  writeContractJson,
  writeContractJUnit,
  type CaseReport,
  type ContractCase,
  type ContractReport,
  type ContractRule,
  type ExecutorContractOptions,
  type HandlerContractOptions,
  type Violation,
} from './contract/index.js';

// The public API of gamelan-kafka-harness, root entry: the common path, in the order of the data path
// (configuration → broker → workspace → engine ⇄ Kafka ⇄ executors → recorder → matchers → report).
// Named exports only. The rest lives in subpaths, each one file under harness/entries/ (or its folder):
//   gamelan-kafka-harness/protocol      messages, dialects, serdes, keys, partitioner, clients, dead letters, schemas
//   gamelan-kafka-harness/contract      executor contract checks and their reports
//   gamelan-kafka-harness/brokers       providers, startBroker, diagnose, topic tools, faults
//   gamelan-kafka-harness/conformance   how far a cluster's records are from a dialect
//   gamelan-kafka-harness/load          the load driver and SLOs
//   gamelan-kafka-harness/faults        network and broker faults
//   gamelan-kafka-harness/vitest        matchers, global setup, useWorkspace, describeExecutorContract
//   gamelan-kafka-harness/mocks         msw mocks of the HTTP services executors call

export { ERROR_CODES, BrokerError, ConfigError, ContractError, FaultError, HarnessError, ProtocolError, TimeoutError, TopicError, type ErrorCode } from './errors.js';

// Configuration: gamelan.kafka.* from Gamelan's own application.properties / application.yaml.
export { DEFAULT_CONFIG, KNOWN_KEYS, readConfig, parseConfig, retentionMs, topicNames, type GamelanKafkaConfig, type ApplicationConfig } from './config/index.js';
export { TOPIC_ROLES, type TopicRole } from './vocabulary.js';
export { microProfileEnvironment } from './config/quarkus.js';
export {
  executorSecurityEnvironment,
  SECURITY_MODES,
  type ClientSecurity,
  type JavaTruststore,
  type SaslCredentials,
  type SecurityMode,
  type TlsTrust,
} from './config/security.js';
export { readCommandConfig, securityFromEnvironment } from './config/command-config.js';
export type { BrokerSecurityOptions } from './brokers/kraft/security.js';
export type { ReadConfigOptions } from './config/read.js';

// A broker (the stack chooses and starts one, or connects to a running one) and isolated runs on it.
export { startStack, type StackOptions, type StartedStack } from './stack/start-stack.js';
export { connectBroker, onBroker, type BrokerSource } from './stack/on-broker.js';
export type { ProviderKind, StartedBroker } from './brokers/types.js';
// The harness's own Kafka client interface (what StartedBroker.kafka()/admin() and Workspace.kafka/admin are);
// kafkajsClient makes a raw kafkajs client from the harness's copy, for who asks for one.
export type {
  Admin as KafkaAdmin,
  ClientLogLevel,
  ConsumedMessage,
  Consumer as KafkaConsumer,
  KafkaClient,
  ProducedMessage,
  Producer as KafkaProducer,
  RecordHeaders,
} from './clients/client-api.js';
export { CONFIG_RESOURCE } from './clients/client-api.js';
export { kafkajsClient, kafkajsSecurity } from './clients/create-client.js';
export { openWorkspace, type OpenWorkspaceOptions, type Workspace, type WorkspaceDialect, type WorkspaceOverrides } from './workspace/index.js';

// The messages handlers and matchers see (the protocol library itself: gamelan-kafka-harness/protocol).
export type { DeadLetterMessage, ExecutionStatus, StatusUpdateMessage, TaskMessage, TaskResultMessage, WorkflowEventMessage } from './protocol/index.js';

export { ManualClock, systemClock, type Clock } from './engine/clock.js';
export { WORKFLOW_EVENT_TYPES, type RunState, type RunStatus } from './engine/core.js';
export { FakeEngine, type FakeEngineOptions } from './engine/engine.js';
export { readWorkflow, readWorkflows, parseWorkflow, type WorkflowDefinition } from './engine/workflow.js';

export { behaviours, ExecutorCrash, type HandlerContext, type TaskHandler, type TaskOutput } from './executors/handler.js';
export { FakeExecutor, type FakeExecutorOptions } from './executors/executor.js';

export { FlowRecorder, type FlowRecorderOptions } from './recorder/recorder.js';
export { decodeForRecorder, recordDecoderFor } from './recorder/decode.js';
export type { LagSample, RecordedMessage } from './recorder/types.js';
export type { GroupSnapshot } from './topics/group-assignment.js';
export { readRecording, recordingOf, writeRecording, type Recording } from './recorder/recording.js';

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
/** The attempts of a node and the gaps between them, as `retriedTimes` measures them (for a report's figures). */
export { attemptGaps } from './matchers/retried.js';

export { ANOMALY_KINDS, checkHistory, renderHistoryReport, type Anomaly, type AnomalyKind, type CheckHistoryOptions, type HistoryReport, type HistorySource } from './checker/index.js';
/** A recorded flow (`run --record`) read back, for `checkHistory` after the fact. */
export { historyFromJsonLines, readRecordedFlow } from './checker/index.js';

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

export { defineScenario, type ScenarioDefinition } from './scenario/define.js';
export type { ScenarioContext } from './scenario/context.js';
export { runScenarios, type ImportedScenario } from './scenario/runner.js';
export { importScenarios } from './scenario/import-scenarios.js';
export { byLength, LONG_CHAOS_ENV, scenarioLength, type ScenarioLength } from './scenario/length.js';
export type { RunSummary, ScenarioResult } from './scenario/result.js';
// Seeded chaos: one seed per run (`run --seed N`), a stream per purpose, the fault schedule a scenario plans from it.
export { parseSeed, randomSeed, replayCommand, SEED_ENV, SEED_MAX, SeededRandom, SeededStream } from './scenario/seed.js';
export type { AppliedFault, FaultSchedule, PlannedFault } from './scenario/fault-schedule.js';

// Reports of a run: a console table, JSON, JUnit XML (what `run --json/--junit` write) and the self-contained HTML page.
export { renderScenarioTable } from './report/scenario-table.js';
export { writeJsonReport } from './report/json.js';
export { writeJUnitReport } from './report/junit.js';
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

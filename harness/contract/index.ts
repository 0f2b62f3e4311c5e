// Executor contract checks: for TypeScript handlers in-process, for executors in any language as a child process.
export { CONTRACT_RULES, formatViolation, type ContractRule, type Violation } from './rules.js';
export {
  contractCases,
  goldenTasks,
  POISON_RECORDS,
  type CompatProbe,
  type ContractCase,
  type ContractCaseOptions,
  type PoisonRecord,
  type WireTask,
} from './cases.js';
export { answeredTaskId, checkContract, type CaseReport, type CheckOptions, type ObservedRecord } from './check.js';
export {
  runContract,
  type CompatNote,
  type ContractConnection,
  type ContractReport,
  type RunContractOptions,
  type StartedContractTarget,
} from './run.js';
export {
  checkHandlerContract,
  jsonProblem,
  runHandlerContract,
  type HandlerContractOptions,
  type HandlerContractRun,
} from './handler.js';
export {
  checkExecutorContract,
  runExecutorContract,
  type ExecutorContractOptions,
  type ExecutorContractRun,
} from './external.js';
export { ExecutorProcess, executorEnvironment, type ExecutorProcessOptions } from './process.js';
export { waitForGroupJoin } from './group.js';
export {
  droppedFinding,
  poisonFates,
  type PoisonEvidence,
  type PoisonFate,
  type PoisonRecordReport,
} from './poison.js';
export { type SentRecord } from './send.js';
export { renderContractSummary, writeContractJson, writeContractJUnit } from './report.js';

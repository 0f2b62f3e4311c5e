// `gamelan-kafka-harness/contract`: check an executor against the protocol — a TypeScript handler in-process, or
// an executor in any language as a child process — and write the report. In vitest: `describeExecutorContract`
// from `gamelan-kafka-harness/vitest`.
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
  type CheckOptions,
  type CompatNote,
  type CompatProbe,
  type ContractCase,
  type ContractCaseOptions,
  type ContractReport,
  type ContractRule,
  type ExecutorContractOptions,
  type HandlerContractOptions,
  type PoisonFate,
  type PoisonRecordReport,
  type Violation,
} from '../contract/index.js';

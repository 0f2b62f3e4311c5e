// `gamelan-kafka-harness/vitest`: importing it registers the matchers (`expect(recorder).toHaveCompletedRun(…)`)
// and their types; plus the broker of the global setup (`gamelanKafka()`), a workspace per test file, faults and
// the executor contract as vitest tests.
export {
  describeExecutorContract,
  gamelanKafka,
  useFaults,
  useWorkspace,
  type ContractSuiteOptions,
  type GamelanFaultNode,
  type GamelanFaultsContext,
  type GamelanKafkaContext,
  type GamelanMatchers,
  type UsedFaults,
  type UseFaultsOptions,
  type UseWorkspaceOptions,
} from '../vitest/index.js';

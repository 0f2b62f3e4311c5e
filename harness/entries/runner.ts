// `gamelan-kafka-harness/runner`: run scenarios from code as `gamelan-harness run` does — import them, run them,
// their length (short/long), and the run's time and randomness: one seed per run (`run --seed N`), a stream per
// purpose, the fault schedule a chaos scenario plans from it, and the system clock.
export { importScenarios } from '../scenario/import-scenarios.js';
export { runScenarios, type ImportedScenario } from '../scenario/runner.js';
export { LONG_CHAOS_ENV, scenarioLength, type ScenarioLength } from '../scenario/length.js';
export type { RunSummary, ScenarioResult } from '../scenario/result.js';
export {
  parseSeed,
  randomSeed,
  replayCommand,
  SEED_ENV,
  SEED_MAX,
  SeededRandom,
  SeededStream,
} from '../scenario/seed.js';
export type { AppliedFault, FaultSchedule, PlannedFault } from '../scenario/fault-schedule.js';
export { systemClock, type Clock } from '../engine/clock.js';

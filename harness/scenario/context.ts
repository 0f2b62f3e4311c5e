import { Faker, en } from '@faker-js/faker';
import type { MatchResult } from '../matchers/index.js';
import type { FlowRecorder } from '../recorder/recorder.js';
import { ConfigError } from '../errors.js';
import type { ClusterFaults } from '../faults/cluster-faults.js';
import type { Workspace } from '../workspace/workspace.js';
import type { MockServices } from '../../mocks/index.js';
import type { StepResult } from './result.js';
import { type FaultLog, loggedChildExecutor, type PlannedFault } from './fault-schedule.js';
import type { SeededRandom } from './seed.js';

/**
 * Everything a scenario plays with: a workspace (its own topics and groups on the shared broker, clients,
 * starters; stopped by the runner) with its recorder and mocks, plus step/check/measure/log for the report.
 */
export interface ScenarioContext extends Omit<Workspace, 'stop' | typeof Symbol.asyncDispose> {
  /** Records the five topics from the start, and the executors' group assignments. */
  readonly recorder: FlowRecorder;
  readonly mocks: MockServices;
  /** The run's seed (`run --seed N`, `GAMELAN_SEED`, or one drawn at random and printed): replaying it replays every draw below. */
  readonly seed: number;
  /**
   * Every random choice of the scenario comes from here: `random.stream('crash timing').int(200, 800)`,
   * `.pick(list)`, `.chance(p)`, `.shuffle(list)`; one stream per purpose, so a draw added for one purpose does
   * not shift another's. Never Math.random(): a failure could not be replayed.
   */
  readonly random: SeededRandom;
  /** Seeded faker (from the run's seed and the scenario's name): the same seed gets the same data. */
  readonly faker: Faker;
  /** Aborted when the scenario times out or ends. */
  readonly signal: AbortSignal;
  /**
   * Fault injection, for a scenario that declares `needs: { faults: true }`: `faults.network` (Toxiproxy; the
   * engine's lane is `engine`, executors' `executor-1`, `executor-2`… or the `lane` given to the starter) and
   * `faults.brokers` (kill -9, pause/resume, restart, killLeaderOf). Removed when the scenario ends.
   */
  readonly faults: ClusterFaults;
  /**
   * Say which fault the scenario is about to inject, as drawn from `random` (what, whom, when, drawn delay and
   * duration): the planned schedule goes into the result and the reports, the same for the same seed. Faults
   * applied through `faults` and kill -9 of a child executor are logged with their times on their own.
   */
  planFault(fault: PlannedFault): PlannedFault;
  /** A named step: timed, reported, failing the scenario when it throws. */
  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /** Fail the step unless the matcher passed; the matcher's message says what the flow held. */
  check(result: MatchResult | Promise<MatchResult>): Promise<void>;
  /** Record a figure for the report (retry gaps, lag peak, rebalance time…). */
  measure(name: string, value: unknown): void;
  log(message: string): void;
}

export class ScenarioAssertionError extends Error {
  override readonly name = 'ScenarioAssertionError';
}

export function seededFaker(seed: number | readonly number[]): Faker {
  const f = new Faker({ locale: [en] });
  f.seed(typeof seed === 'number' ? seed : [...seed]);
  return f;
}

export interface ScenarioExtras {
  readonly recorder: FlowRecorder;
  readonly mocks: MockServices;
  readonly random: SeededRandom;
  /** Planned and applied faults (the runner wraps `faults` to write into it). */
  readonly faultLog: FaultLog;
  readonly signal: AbortSignal;
  /** Present when the scenario declared needs.faults and the cluster can give them. */
  readonly faults?: ClusterFaults;
  /** Steps and measurements are collected here for the report. */
  readonly steps: StepResult[];
  readonly measurements: Record<string, unknown>;
  readonly log: (message: string) => void;
}

/** The workspace (without its cleanup, which stays with the runner) plus the scenario's reporting. */
export function scenarioContext(workspace: Workspace, extras: ScenarioExtras): ScenarioContext {
  const { stop: _stop, [Symbol.asyncDispose]: _dispose, ...rest } = workspace;
  const { steps, measurements } = extras;
  return {
    ...rest,
    recorder: extras.recorder,
    mocks: extras.mocks,
    seed: extras.random.seed,
    random: extras.random,
    faker: seededFaker(extras.random.fakerSeed()),
    signal: extras.signal,
    startExecutorProcess: async (options) =>
      loggedChildExecutor(await workspace.startExecutorProcess(options), extras.faultLog),
    planFault: (fault) => extras.faultLog.plan(fault),
    get faults(): ClusterFaults {
      if (!extras.faults) {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          'ctx.faults is only there for a scenario that declares needs: { faults: true } (then the runner starts a fault proxy and a native or container cluster, or skips it).',
          {
            key: 'needs.faults',
          },
        );
      }
      return extras.faults;
    },
    async step(name, fn) {
      const t0 = Date.now();
      try {
        const value = await fn();
        steps.push({ name, status: 'passed', durationMs: Date.now() - t0 });
        return value;
      } catch (e) {
        steps.push({ name, status: 'failed', durationMs: Date.now() - t0, error: (e as Error).message });
        throw e;
      }
    },
    async check(result) {
      const r = await result;
      if (!r.pass) throw new ScenarioAssertionError(r.message());
    },
    measure(name, value) {
      measurements[name] = value;
    },
    log: extras.log,
  };
}

import type { Admin } from '../clients/client-api.js';
import { expect, type MatcherState } from 'vitest';
import type { TopicRole } from '../vocabulary.js';
import {
  deadLettered,
  type DeadLetteredOptions,
  type Equals,
  everyMessageMatchesSchema,
  type ExpectedMessage,
  havePublished,
  lagAtMost,
  type LagOptions,
  type MatchResult,
  negatedWait,
  noAnomalies,
  noTaskLostOrDuplicated,
  preservedRunOrder,
  type PublishedOptions,
  rebalancedTo,
  type RebalancedOptions,
  retriedTimes,
  type RetriedOptions,
  runCompleted,
  runFailed,
  type WaitOptions,
} from '../matchers/index.js';
import { deadLetteredOptions } from '../matchers/dead-lettered.js';
import { lagOptions } from '../matchers/lag.js';
import { rebalancedOptions } from '../matchers/rebalanced.js';
import { retriedOptions } from '../matchers/retried.js';
import type { CheckHistoryOptions, HistoryReport } from '../checker/types.js';
import type { MessageForRole } from '../protocol/index.js';
import type { FlowRecorder } from '../recorder/recorder.js';

// `import 'gamelan-kafka-harness/vitest'` in a setup file (or a test) registers the matchers and
// their types. Asynchronous matchers wait until the flow satisfies them (default 10 s), so await them:
//   await expect(recorder).toHaveCompletedRun(runId)
// `.not` forms check the flow as it is now: pass `settleMs` to watch that long that it does not happen.
// Expected messages take asymmetric matchers anywhere (expect.any(String), expect.objectContaining(…))
// and are compared by vitest's own equality, as toMatchObject does; a failure prints vitest's diff.

export interface GamelanMatchers<R = unknown> {
  /** A message on the role's topic holds every field of `expected` (asymmetric matchers and RegExps allowed anywhere). */
  toHavePublished<Role extends TopicRole>(
    role: Role,
    expected: ExpectedMessage<MessageForRole<Role>>,
    options?: Omit<PublishedOptions, 'equals'>,
  ): Promise<R>;
  toHaveCompletedRun(runId: string, options?: WaitOptions): Promise<R>;
  toHaveFailedRun(runId: string, options?: WaitOptions): Promise<R>;
  /** The node was retried exactly `retries` times, each gap at least the configured backoff (`dlq`). */
  toHaveRetried(options: RetriedOptions): Promise<R>;
  /** A dead letter whose original payload holds `original`, with a reason code or cause matching `options.reason`. */
  toHaveDeadLettered(original: Record<string, unknown>, options?: Omit<DeadLetteredOptions, 'equals'>): Promise<R>;
  toHavePreservedRunOrder(runId: string, options?: WaitOptions): Promise<R>;
  /** On an Admin client: the group's total lag on the topics is at most `max`. */
  toHaveLagAtMost(options: LagOptions): Promise<R>;
  toHaveRebalancedTo(options: RebalancedOptions): Promise<R>;
  toHaveNoLostOrDuplicatedTasks(runIds: readonly string[], options?: WaitOptions): Promise<R>;
  toMatchSchema(): R;
  /** The history checker finds nothing lost, duplicated, late-accepted, out of run order or unexplained (a recorder, records or a report). */
  toHaveNoAnomalies(options?: CheckHistoryOptions & WaitOptions): Promise<R>;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends GamelanMatchers<T> {}
}

const recorderOf = (actual: unknown, matcher: string): FlowRecorder => {
  if (typeof actual !== 'object' || actual === null || !('ofRole' in actual)) {
    throw new TypeError(
      `${matcher} expects a FlowRecorder (FlowRecorder.start({ kafka, config })), got ${actual === null ? 'null' : typeof actual}`,
    );
  }
  return actual as FlowRecorder;
};

type Tester = MatcherState['customTesters'][number];

/** A RegExp in an expected message matches a string (as the plain matchers do); otherwise vitest decides. */
const regExpTester: Tester = (actual, expected) =>
  expected instanceof RegExp && typeof actual === 'string'
    ? new RegExp(expected.source, expected.flags).test(actual)
    : undefined;

/** vitest's own partial equality (toMatchObject's): asymmetric matchers, the user's custom testers, subsets. */
function vitestEquals(state: MatcherState): Equals {
  const testers = [regExpTester, ...state.customTesters, state.utils.iterableEquality, state.utils.subsetEquality];
  return (actual, expected) => state.equals(actual, expected, testers);
}

/** `.not` waits only the settle window (default 0: the flow as it is now), never the full timeout. */
function waitOf<T extends WaitOptions>(state: MatcherState, options: T | undefined): T {
  return state.isNot ? negatedWait(options) : ({ ...options } as T);
}

/** A failure carries actual/expected so vitest prints its diff; a pass (a failed `.not`) needs none. */
const toResult = (r: MatchResult) =>
  r.pass
    ? { pass: true, message: r.message }
    : { pass: false, message: r.message, actual: r.actual, expected: r.expected };

expect.extend({
  async toHavePublished(actual, role: TopicRole, expected: Record<string, unknown>, options?: PublishedOptions) {
    return toResult(
      await havePublished(recorderOf(actual, 'toHavePublished'), role, expected, {
        ...waitOf(this, options),
        equals: vitestEquals(this),
      }),
    );
  },
  async toHaveCompletedRun(actual, runId: string, options?: WaitOptions) {
    return toResult(await runCompleted(recorderOf(actual, 'toHaveCompletedRun'), runId, waitOf(this, options)));
  },
  async toHaveFailedRun(actual, runId: string, options?: WaitOptions) {
    return toResult(await runFailed(recorderOf(actual, 'toHaveFailedRun'), runId, waitOf(this, options)));
  },
  async toHaveRetried(actual, given: RetriedOptions) {
    const options = waitOf(this, retriedOptions(given, 'toHaveRetried'));
    return toResult(await retriedTimes(recorderOf(actual, 'toHaveRetried'), options));
  },
  async toHaveDeadLettered(actual, original: Record<string, unknown>, given?: DeadLetteredOptions) {
    const read = waitOf(this, deadLetteredOptions(given, 'toHaveDeadLettered'));
    return toResult(
      await deadLettered(recorderOf(actual, 'toHaveDeadLettered'), original, { ...read, equals: vitestEquals(this) }),
    );
  },
  async toHavePreservedRunOrder(actual, runId: string, options?: WaitOptions) {
    return toResult(
      await preservedRunOrder(recorderOf(actual, 'toHavePreservedRunOrder'), runId, waitOf(this, options)),
    );
  },
  async toHaveLagAtMost(actual, given: LagOptions) {
    return toResult(await lagAtMost(actual as Admin, waitOf(this, lagOptions(given, 'toHaveLagAtMost'))));
  },
  async toHaveRebalancedTo(actual, given: RebalancedOptions) {
    return toResult(
      await rebalancedTo(
        recorderOf(actual, 'toHaveRebalancedTo'),
        waitOf(this, rebalancedOptions(given, 'toHaveRebalancedTo')),
      ),
    );
  },
  async toHaveNoLostOrDuplicatedTasks(actual, runIds: readonly string[], options?: WaitOptions) {
    return toResult(
      await noTaskLostOrDuplicated(recorderOf(actual, 'toHaveNoLostOrDuplicatedTasks'), runIds, waitOf(this, options)),
    );
  },
  async toHaveNoAnomalies(actual, options?: CheckHistoryOptions & WaitOptions) {
    if (typeof actual !== 'object' || actual === null)
      throw new TypeError(
        `toHaveNoAnomalies expects a FlowRecorder, recorded messages or a history report, got ${actual === null ? 'null' : typeof actual}`,
      );
    return toResult(await noAnomalies(actual as FlowRecorder | HistoryReport, waitOf(this, options)));
  },
  toMatchSchema(actual) {
    return toResult(everyMessageMatchesSchema(recorderOf(actual, 'toMatchSchema')));
  },
});
export { describeExecutorContract, type ContractSuiteOptions } from './contract.js';
export { gamelanKafka } from './inject.js';
export { useWorkspace, type UseWorkspaceOptions } from './workspace.js';
export { useFaults, type UsedFaults, type UseFaultsOptions } from './faults.js';
export type { GamelanFaultNode, GamelanFaultsContext, GamelanKafkaContext } from './global-setup.js';

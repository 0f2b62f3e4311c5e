import type { Admin } from 'kafkajs';
import { expect } from 'vitest';
import type { GamelanKafkaConfig, TopicRole } from '../config/index.js';
import {
  deadLettered,
  everyMessageMatchesContract,
  havePublished,
  lagAtMost,
  type MatchResult,
  noAnomalies,
  noTaskLostOrDuplicated,
  preservedRunOrder,
  rebalancedTo,
  retriedTimes,
  runCompleted,
  runFailed,
  type WaitOptions,
} from '../matchers/index.js';
import type { CheckHistoryOptions, HistoryReport } from '../checker/types.js';
import type { FlowRecorder } from '../recorder/recorder.js';

// `import 'gamelan-kafka-harness/vitest'` in a setup file (or a test) registers the matchers and
// their types. Asynchronous matchers wait until the flow satisfies them (default 10 s), so await them:
//   await expect(recorder).toHaveCompletedRun(runId)

export interface GamelanMatchers<R = unknown> {
  toHavePublished(role: TopicRole, expected: Record<string, unknown>, options?: WaitOptions & { key?: string }): Promise<R>;
  toHaveCompletedRun(runId: string, options?: WaitOptions): Promise<R>;
  toHaveFailedRun(runId: string, options?: WaitOptions): Promise<R>;
  toHaveRetried(runId: string, nodeId: string, retries: number, options: WaitOptions & { dlq: GamelanKafkaConfig['dlq']; toleranceMs?: number }): Promise<R>;
  toHaveDeadLettered(original: Record<string, unknown>, reason?: string | RegExp, options?: WaitOptions): Promise<R>;
  toHavePreservedRunOrder(runId: string, options?: WaitOptions): Promise<R>;
  toHaveLagAtMost(groupId: string, topics: readonly string[], max: number, options?: WaitOptions): Promise<R>;
  toHaveRebalancedTo(groupId: string, members: number, topic: string, partitions: number, options?: WaitOptions): Promise<R>;
  toHaveNoLostOrDuplicatedTasks(runIds: readonly string[], options?: WaitOptions): Promise<R>;
  toMatchContract(): R;
  /** The history checker finds nothing lost, duplicated, late-accepted, out of run order or unexplained (a recorder, records or a report). */
  toHaveNoAnomalies(options?: CheckHistoryOptions & WaitOptions): Promise<R>;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends GamelanMatchers<T> {}
}

const recorderOf = (actual: unknown, matcher: string): FlowRecorder => {
  if (typeof actual !== 'object' || actual === null || !('ofRole' in actual)) {
    throw new TypeError(`${matcher} expects a FlowRecorder, got ${typeof actual}`);
  }
  return actual as FlowRecorder;
};

const toResult = (r: MatchResult) => ({ pass: r.pass, message: r.message, actual: r.actual, expected: r.expected });

expect.extend({
  async toHavePublished(actual, role: TopicRole, expected: Record<string, unknown>, options?: WaitOptions & { key?: string }) {
    return toResult(await havePublished(recorderOf(actual, 'toHavePublished'), role, expected, options));
  },
  async toHaveCompletedRun(actual, runId: string, options?: WaitOptions) {
    return toResult(await runCompleted(recorderOf(actual, 'toHaveCompletedRun'), runId, options));
  },
  async toHaveFailedRun(actual, runId: string, options?: WaitOptions) {
    return toResult(await runFailed(recorderOf(actual, 'toHaveFailedRun'), runId, options));
  },
  async toHaveRetried(actual, runId: string, nodeId: string, retries: number, options: WaitOptions & { dlq: GamelanKafkaConfig['dlq'] }) {
    return toResult(await retriedTimes(recorderOf(actual, 'toHaveRetried'), runId, nodeId, retries, options));
  },
  async toHaveDeadLettered(actual, original: Record<string, unknown>, reason?: string | RegExp, options?: WaitOptions) {
    return toResult(await deadLettered(recorderOf(actual, 'toHaveDeadLettered'), original, reason, options));
  },
  async toHavePreservedRunOrder(actual, runId: string, options?: WaitOptions) {
    return toResult(await preservedRunOrder(recorderOf(actual, 'toHavePreservedRunOrder'), runId, options));
  },
  async toHaveLagAtMost(actual, groupId: string, topics: readonly string[], max: number, options?: WaitOptions) {
    return toResult(await lagAtMost(actual as Admin, groupId, topics, max, options));
  },
  async toHaveRebalancedTo(actual, groupId: string, members: number, topic: string, partitions: number, options?: WaitOptions) {
    return toResult(await rebalancedTo(recorderOf(actual, 'toHaveRebalancedTo'), groupId, members, topic, partitions, options));
  },
  async toHaveNoLostOrDuplicatedTasks(actual, runIds: readonly string[], options?: WaitOptions) {
    return toResult(await noTaskLostOrDuplicated(recorderOf(actual, 'toHaveNoLostOrDuplicatedTasks'), runIds, options));
  },
  async toHaveNoAnomalies(actual, options?: CheckHistoryOptions & WaitOptions) {
    if (typeof actual !== 'object' || actual === null) throw new TypeError(`toHaveNoAnomalies expects a FlowRecorder, recorded messages or a history report, got ${typeof actual}`);
    return toResult(await noAnomalies(actual as FlowRecorder | HistoryReport, options));
  },
  toMatchContract(actual) {
    return toResult(everyMessageMatchesContract(recorderOf(actual, 'toMatchContract')));
  },
});
export { describeExecutorContract, type ContractSuiteOptions } from './contract.js';
export { gamelanKafka } from './inject.js';
export type { GamelanKafkaContext } from './global-setup.js';

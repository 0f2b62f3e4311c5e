// Type tests of the vitest kit's matchers, checked by `tsc` in `npm test` (typecheck step).
import type { Admin } from 'kafkajs';
import { expect, expectTypeOf } from 'vitest';
import '../../harness/vitest/index.js';
import {
  buildDeadLetter,
  buildStatusUpdate,
  buildTask,
  buildTaskResult,
  buildWorkflowEvent,
} from '../../harness/entries/fixtures.js';
import { DEFAULT_CONFIG } from '../../harness/entries/config.js';
import {
  type DeadLetterMessage,
  type FlowRecorder,
  type FlowRecorderOptions,
  havePublished,
  type MatchResult,
  retriedTimes,
  type StatusUpdateMessage,
  type TaskMessage,
  type TaskResultMessage,
  type WorkflowEventMessage,
} from '../../harness/index.js';

declare const recorder: FlowRecorder;
declare const admin: Admin;
const dlq = DEFAULT_CONFIG.dlq;

// Expected messages are typed by the topic role, and take asymmetric matchers and RegExps anywhere.
void expect(recorder).toHavePublished('tasks', {
  runId: expect.any(String),
  attempt: 2,
  context: expect.objectContaining({ amount: 1 }),
});
void expect(recorder).toHavePublished(
  'results',
  { status: 'SUCCESS', output: { imported: true }, executorId: /^import-/ },
  { key: expect.stringMatching(/^run-/), timeoutMs: 500 },
);
// @ts-expect-error attempt is a number on a TaskMessage
void expect(recorder).toHavePublished('tasks', { attempt: 'two' });
// @ts-expect-error status is SUCCESS, FAILURE or TIMEOUT
void expect(recorder).toHavePublished('results', { status: 'DONE' });
// @ts-expect-error a topic role, not a topic name
void expect(recorder).toHavePublished('gamelan.tasks', {});

// Options objects instead of long positional arguments.
expectTypeOf(expect(recorder).toHaveRetried({ runId: 'r', nodeId: 'n', retries: 2, dlq })).toMatchTypeOf<
  Promise<unknown>
>();
void expect(recorder).toHaveDeadLettered(
  { nodeId: 'charge' },
  { reason: expect.stringContaining('503'), timeoutMs: 1_000 },
);
void expect(recorder).toHaveDeadLettered({ nodeId: 'charge' });
void expect(admin).toHaveLagAtMost({ groupId: 'g', topics: ['t'], max: 0 });
void expect(recorder).toHaveRebalancedTo({ groupId: 'g', members: 2, topic: 't', partitions: 3, timeoutMs: 20_000 });
// @ts-expect-error dlq (the backoff to check the gaps against) is required
void expect(recorder).toHaveRetried({ runId: 'r', nodeId: 'n', retries: 2 });
// @ts-expect-error members is a number
void expect(recorder).toHaveRebalancedTo({ groupId: 'g', members: '2', topic: 't', partitions: 3 });

// The positional forms of 0.1.0 are gone.
// @ts-expect-error one options object: toHaveRetried({ runId, nodeId, retries, dlq })
void expect(recorder).toHaveRetried('r', 'n', 2, { dlq });
// @ts-expect-error the reason goes in the options: toHaveDeadLettered(original, { reason })
void expect(recorder).toHaveDeadLettered({ nodeId: 'charge' }, /503/);
// @ts-expect-error one options object: toHaveLagAtMost({ groupId, topics, max })
void expect(admin).toHaveLagAtMost('g', ['t'], 0, { timeoutMs: 1 });
// @ts-expect-error one options object: toHaveRebalancedTo({ groupId, members, topic, partitions })
void expect(recorder).toHaveRebalancedTo('g', 2, 't', 3);
// @ts-expect-error one options object: retriedTimes(flow, { runId, nodeId, retries, dlq })
void retriedTimes(recorder, 'r', 'n', 2, { dlq });

// `.not` takes a settle window.
void expect(recorder).not.toHavePublished('results', { runId: 'r' }, { settleMs: 1_000 });
void expect(recorder).not.toHaveCompletedRun('r', { settleMs: 200 });

// The plain functions, usable outside vitest, return a MatchResult with actual and expected for a diff.
expectTypeOf(
  havePublished(recorder, 'status', { status: 'COMPLETED', tenantId: expect.any(String) }),
).resolves.toEqualTypeOf<MatchResult>();
expectTypeOf(retriedTimes(recorder, { runId: 'r', nodeId: 'n', retries: 1, dlq })).resolves.toHaveProperty('expected');

// FlowRecorder.start needs kafka and config; decode defaults to the protocol's decoder.
expectTypeOf<FlowRecorderOptions['decode']>().toBeNullable();
// @ts-expect-error config is required
const _noConfig: FlowRecorderOptions = { kafka: {} as FlowRecorderOptions['kafka'] };
void _noConfig;

// The seeded message builders (gamelan-kafka-harness/fixtures).
expectTypeOf(buildTask({ attempt: 2 }, { seed: 3 })).toEqualTypeOf<TaskMessage>();
expectTypeOf(buildTaskResult({ status: 'FAILURE' })).toEqualTypeOf<TaskResultMessage>();
expectTypeOf(buildWorkflowEvent()).toEqualTypeOf<WorkflowEventMessage>();
expectTypeOf(buildStatusUpdate()).toEqualTypeOf<StatusUpdateMessage>();
expectTypeOf(buildDeadLetter()).toEqualTypeOf<DeadLetterMessage>();
// @ts-expect-error attempt is a number
buildTask({ attempt: '2' });

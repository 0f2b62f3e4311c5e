import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import '../../../harness/vitest/index.js';
import {
  behaviours,
  FakeEngine,
  FakeExecutor,
  FlowRecorder,
  startStack,
  type DeadLetterMessage,
  type GamelanKafkaConfig,
  type StartedStack,
  type TaskHandler,
  type TaskResultMessage,
  type WorkflowDefinition,
} from '../../../harness/index.js';
import { partitionForKey, ResultProducer } from '../../../harness/entries/protocol.js';
import { BUNDLED_WORKFLOWS_DIR, parseWorkflow, readWorkflows } from '../../../harness/engine/workflow.js';
import { openWorkspace } from '../../../harness/workspace/index.js';
import { testBrokerKind } from '../../support/broker.js';

// The executor behaviours against the fake engine on a real broker: no Kafka mocks. One broker for
// the file; each test gets its own five topics and groups (a unique prefix), its own engine and
// recorder, so counts and flows are the test's alone. Retries are fast: max-retries 2, backoff 100 ms.

const DLQ = { maxRetries: 2, backoffMs: 100 } as const;
const SLEEPY_TIMEOUT_MS = 600;
const ROGUE_TIMEOUT_MS = 800;

const WORKFLOWS: ReadonlyMap<string, WorkflowDefinition> = new Map([
  ...readWorkflows(BUNDLED_WORKFLOWS_DIR),
  ...[
    parseWorkflow(
      { id: 'sleepy', nodes: [{ id: 'wait', executor: 'sleepy-executor', timeoutMs: SLEEPY_TIMEOUT_MS }] },
      'inline:sleepy',
    ),
    parseWorkflow(
      { id: 'rogue', nodes: [{ id: 'answer', executor: 'rogue-executor', timeoutMs: ROGUE_TIMEOUT_MS }] },
      'inline:rogue',
    ),
  ].map((wf) => [wf.id, wf] as const),
]);

let stack: StartedStack;

beforeAll(async () => {
  stack = await startStack({ kafka: await testBrokerKind() });
});

afterAll(async () => {
  await stack?.stop();
});

interface World {
  readonly config: GamelanKafkaConfig;
  readonly prefix: string;
  readonly recorder: FlowRecorder;
  readonly engine: FakeEngine;
  /** A fake executor of this type; its own group `<prefix>.<type>` unless one is given. Stopped when the test ends. */
  executor(executorType: string, handler: TaskHandler, groupId?: string): Promise<FakeExecutor>;
}

/** A workspace on the shared broker (fresh topics and groups), a recorder on it and an engine; all stopped when the test ends. */
async function world(name: string, options: { watchGroups?: (prefix: string) => string[] } = {}): Promise<World> {
  const workspace = await openWorkspace(stack.broker, stack.config.gamelan, {
    name: `beh-${name}`,
    clientId: `behaviours-${name}`,
    overrides: { dlq: DLQ },
  });
  onTestFinished(() => workspace.stop());
  const recorder = await workspace.startRecorder({ watchGroups: options.watchGroups?.(workspace.prefix) ?? [] });
  const engine = await workspace.startEngine({ workflows: WORKFLOWS, groupId: workspace.groupId('engine') });
  return {
    config: workspace.config,
    prefix: workspace.prefix,
    recorder,
    engine,
    executor: (executorType, handler, groupId = workspace.groupId(executorType)) =>
      workspace.startExecutor({ executorType, handler, groupId }),
  };
}

interface EventView {
  readonly eventType: string;
  readonly payload: {
    readonly nodeId?: string;
    readonly attempt?: number;
    readonly status?: string;
    readonly reason?: string;
  };
}

/** The run's workflow events as the recorder saw them, in order. */
function eventsOf(recorder: FlowRecorder, runId: string): EventView[] {
  return recorder
    .byRun(runId)
    .filter((m) => m.role === 'events')
    .map((m) => m.value as EventView);
}

const ofType = (events: readonly EventView[], type: string) => events.filter((e) => e.eventType === type);

/** Results on the results topic for a run (decoded ones only; broken results do not decode). */
function resultsOf(recorder: FlowRecorder, runId: string): TaskResultMessage[] {
  return recorder.ofRole<TaskResultMessage>('results').flatMap((m) => (m.value?.runId === runId ? [m.value] : []));
}

/** Dead letters whose original record came from this topic. */
function deadLettersFrom(recorder: FlowRecorder, topic: string): DeadLetterMessage[] {
  return recorder.ofRole<DeadLetterMessage>('dlq').flatMap((m) => (m.value?.originalTopic === topic ? [m.value] : []));
}

/** `perPartition` run ids for every partition (runs are keyed by runId), so every partition owner gets work. */
function runIdsOverPartitions(label: string, partitions: number, perPartition: number): string[] {
  const byPartition: string[][] = Array.from({ length: partitions }, () => []);
  while (byPartition.some((ids) => ids.length < perPartition)) {
    const runId = `run-${label}-${randomBytes(6).toString('hex')}`;
    const ids = byPartition[partitionForKey(runId, partitions)]!;
    if (ids.length < perPartition) ids.push(runId);
  }
  return byPartition.flat();
}

describe('exceedTimeout', () => {
  it('times each attempt out, retries, dead-letters the last one (TASK_TIMED_OUT) and fails the run; late results are stale and change nothing', async () => {
    const { recorder, engine, config, executor } = await world('timeout');
    // Answers 400 ms after the node's timeout: every result is late.
    await executor('sleepy-executor', behaviours.exceedTimeout(SLEEPY_TIMEOUT_MS + 400));
    const { runId } = await engine.startRun('sleepy', { tenantId: 'acme' });

    await expect(recorder).toHaveFailedRun(runId);
    const events = eventsOf(recorder, runId);
    expect(ofType(events, 'NODE_FAILED').map((e) => [e.payload.attempt, e.payload.status])).toEqual([
      [1, 'TIMEOUT'],
      [2, 'TIMEOUT'],
      [3, 'TIMEOUT'],
    ]);
    expect(ofType(events, 'NODE_FAILED')[0]!.payload.reason).toBe(`no result within ${SLEEPY_TIMEOUT_MS} ms`);
    expect(ofType(events, 'NODE_RETRY_SCHEDULED').map((e) => e.payload.attempt)).toEqual([2, 3]);
    expect(ofType(events, 'NODE_DEAD_LETTERED')).toHaveLength(1);
    await expect(recorder).toHaveRetried({ runId: runId, nodeId: 'wait', retries: 2, dlq: config.dlq });
    await expect(recorder).toHaveDeadLettered({ runId, nodeId: 'wait', attempt: 3 }, { reason: 'TASK_TIMED_OUT' });
    const [letter] = deadLettersFrom(recorder, config.tasks.topic);
    expect(letter).toMatchObject({
      reason: 'TASK_TIMED_OUT',
      originalKey: runId,
      consumerGroup: engine.groupId,
      messageType: 'TaskMessage',
    });
    expect(letter!.cause).toMatch(/wait failed 3 time\(s\) \(max-retries 2\): no result within 600 ms/);

    // The three answers come after their attempts timed out: counted as stale, nothing applied.
    await vi.waitFor(() => expect(engine.outcomes.stale).toBe(3), { timeout: 10_000 });
    expect(engine.outcomes).toMatchObject({ applied: 0, duplicate: 0, stale: 3 });
    await engine.flushed();
    expect(engine.core.run(runId)?.status).toBe('FAILED');
    expect(engine.core.run(runId)?.nodes.get('wait')?.status).toBe('DEAD_LETTERED');
    await vi.waitFor(() =>
      expect(resultsOf(recorder, runId).map((r) => [r.attempt, r.status])).toEqual([
        [1, 'SUCCESS'],
        [2, 'SUCCESS'],
        [3, 'SUCCESS'],
      ]),
    );
    expect(ofType(eventsOf(recorder, runId), 'NODE_COMPLETED')).toEqual([]);
    expect(ofType(eventsOf(recorder, runId), 'RUN_COMPLETED')).toEqual([]);
  });
});

describe('breakContract', () => {
  it.each([
    ['wrong-key', 'MESSAGE_KEY_INVALID'],
    ['missing-token', 'MESSAGE_INVALID'],
  ] as const)(
    '%s: the engine dead-letters the result (%s), never completes the node from it, and keeps consuming',
    async (how, reason) => {
      const { recorder, engine, config, executor } = await world(`contract-${how}`);
      const rogue = await executor('rogue-executor', behaviours.breakContract(how));
      const { runId } = await engine.startRun('rogue', { tenantId: 'acme' });

      // Each attempt's broken answer is dead-lettered by the engine's result consumer; the attempt times out instead.
      await expect(recorder).toHaveFailedRun(runId);
      await expect(recorder).toHaveDeadLettered({ runId, nodeId: 'answer', attempt: 3 }, { reason: reason });
      const rejected = deadLettersFrom(recorder, config.results.topic);
      expect(rejected.map((l) => [l.reason, l.consumerGroup, l.messageType])).toEqual(
        Array(3).fill([reason, engine.groupId, 'TaskResultMessage']),
      );
      expect(rejected.map((l) => (JSON.parse(l.payload!) as TaskResultMessage).attempt)).toEqual([1, 2, 3]);
      if (how === 'wrong-key') {
        expect(rejected.map((l) => l.originalKey)).toEqual([1, 2, 3].map((a) => `${runId}:answer:${a}`)); // keyed by taskId, not runId
      } else {
        expect(rejected.every((l) => l.errorPath === '$.token')).toBe(true);
      }
      expect(engine.stats().resultConsumer.rejectedByReason).toEqual({ [reason]: 3 });
      expect(rogue.stats()).toMatchObject({ received: 3, contractBreaks: 3, succeeded: 0 });

      const events = eventsOf(recorder, runId);
      expect(ofType(events, 'NODE_FAILED').map((e) => e.payload.status)).toEqual(['TIMEOUT', 'TIMEOUT', 'TIMEOUT']);
      expect(ofType(events, 'NODE_COMPLETED')).toEqual([]);
      await expect(recorder).toHaveDeadLettered({ runId, nodeId: 'answer', attempt: 3 }, { reason: 'TASK_TIMED_OUT' });
      expect(engine.outcomes.applied).toBe(0);

      // The consumer that dead-lettered them is still consuming: a later good run completes.
      await executor('import-executor', behaviours.succeed({ imported: true }));
      const good = await engine.startRun('bulk-import', { tenantId: 'acme' });
      await expect(recorder).toHaveCompletedRun(good.runId);
      expect(engine.outcomes.applied).toBe(1);
    },
  );
});

describe('targetExecutor', () => {
  it('an executor of another type, alone in its group, skips the task (committed) and answers nothing', async () => {
    const { recorder, engine, executor } = await world('wrong-type');
    const payment = await executor('payment-processor', behaviours.succeed());
    const { runId } = await engine.startRun('bulk-import', { tenantId: 'acme' }); // a task for import-executor

    await vi.waitFor(() => expect(payment.stats().skipped).toBe(1), { timeout: 10_000 });
    expect(payment.stats()).toMatchObject({ received: 1, succeeded: 0, failed: 0 });
    expect(payment.answered).toEqual([]);
    await vi.waitFor(() => expect(payment.consumerStats().committed).toBe(1));
    await expect(recorder).not.toHavePublished('results', { runId }, { timeoutMs: 1_000 });
    expect(engine.core.run(runId)?.status).toBe('RUNNING');

    // The task is still on the topic for the right type's own group.
    await executor('import-executor', behaviours.succeed());
    await expect(recorder).toHaveCompletedRun(runId);
  });

  it('with a group per executor type, every node of a fan-out workflow completes and each type skips the others', async () => {
    const { recorder, engine, executor } = await world('per-type');
    const types = [
      'validation-executor',
      'inventory-executor',
      'payment-processor',
      'fraud-executor',
      'shipping-executor',
    ];
    const executors = await Promise.all(types.map((type) => executor(type, behaviours.succeed())));
    const { runId } = await engine.startRun('order-fan-out', { tenantId: 'acme' });

    await expect(recorder).toHaveCompletedRun(runId);
    await expect(recorder).toHaveNoLostOrDuplicatedTasks([runId]);
    expect(ofType(eventsOf(recorder, runId), 'NODE_COMPLETED')).toHaveLength(5);
    // Every group reads all five tasks: one answered, four skipped.
    await vi.waitFor(
      () =>
        expect(executors.map((e) => [e.executorType, e.stats().succeeded, e.stats().skipped])).toEqual(
          types.map((t) => [t, 1, 4]),
        ),
      {
        timeout: 10_000,
      },
    );
  });
});

describe('keepAnswered', () => {
  it('keeps the latest task ids (at most twice keepAnswered), 0 keeps none, and stats still count every answer', async () => {
    const { config, engine, prefix } = await world('keep-answered');
    // Each in its own group: both answer every task (the second answer to reach the engine is a duplicate).
    const start = (keepAnswered: number) =>
      FakeExecutor.start({
        kafka: stack.broker.kafka(`keep-${keepAnswered}`),
        config,
        executorType: 'import-executor',
        handler: behaviours.succeed(),
        groupId: `${prefix}.keep-${keepAnswered}`,
        keepAnswered,
      });
    const [three, none] = await Promise.all([start(3), start(0)]);
    onTestFinished(async () => void (await Promise.all([three.stop(), none.stop()])));
    for (let i = 0; i < 10; i++) await engine.startRun('bulk-import', { tenantId: 'acme' });
    await vi.waitFor(() => expect([three.stats().succeeded, none.stats().succeeded]).toEqual([10, 10]), {
      timeout: 20_000,
    });
    // trimmed back to 3 at the 6th and the 9th answer
    expect(new Set(three.answered).size).toBe(4);
    expect(none.answered).toEqual([]);
    await expect(
      FakeExecutor.start({
        kafka: stack.broker.kafka('keep-bad'),
        config,
        executorType: 'import-executor',
        handler: behaviours.succeed(),
        keepAnswered: -1,
      }),
    ).rejects.toMatchObject({
      name: 'ConfigError',
      code: 'CONFIG_INVALID_VALUE',
      message: expect.stringMatching(/keepAnswered = -1 is not allowed: use an integer ≥ 0/),
    });
  });
});

describe('failTimes and duplicate results', () => {
  it('failTimes(2) completes on attempt 3; the same result published twice more is a duplicate and changes nothing', async () => {
    const { recorder, engine, config, executor } = await world('fail-times');
    await executor('import-executor', behaviours.failTimes(2));
    const { runId } = await engine.startRun('bulk-import', { tenantId: 'acme' });

    await expect(recorder).toHaveCompletedRun(runId);
    await expect(recorder).toHaveRetried({ runId: runId, nodeId: 'import', retries: 2, dlq: config.dlq });
    const events = eventsOf(recorder, runId);
    expect(ofType(events, 'NODE_FAILED').map((e) => [e.payload.attempt, e.payload.status])).toEqual([
      [1, 'FAILURE'],
      [2, 'FAILURE'],
    ]);
    expect(ofType(events, 'NODE_COMPLETED').map((e) => e.payload.attempt)).toEqual([3]);
    expect(resultsOf(recorder, runId).map((r) => r.status)).toEqual(['FAILURE', 'FAILURE', 'SUCCESS']);
    expect(engine.outcomes).toMatchObject({ applied: 3, duplicate: 0 });

    const success = resultsOf(recorder, runId).find((r) => r.status === 'SUCCESS')!;
    const producer = await ResultProducer.connect({ kafka: stack.broker.kafka('behaviours-duplicates'), config });
    onTestFinished(() => producer.stop());
    await producer.send(success);
    await producer.send(success);

    await vi.waitFor(() => expect(engine.outcomes.duplicate).toBe(2), { timeout: 10_000 });
    expect(engine.outcomes.applied).toBe(3);
    await engine.flushed();
    await vi.waitFor(() => expect(resultsOf(recorder, runId)).toHaveLength(5));
    expect(ofType(eventsOf(recorder, runId), 'NODE_COMPLETED')).toHaveLength(1);
    expect(ofType(eventsOf(recorder, runId), 'RUN_COMPLETED')).toHaveLength(1);
  });
});

describe('executors join and leave at runtime', () => {
  // Regression: kafkajs restarted a consumer whose handler was aborted by stop(), so the stopped executor
  // rejoined its group and kept taking (and crashing on) tasks that nobody would ever answer.
  it('an executor stopped mid-task stays stopped: it leaves its group for good and its task goes to the other member', async () => {
    const group = (prefix: string) => `${prefix}.importers`;
    const { recorder, config, engine, executor, prefix } = await world('stop-mid-task', {
      watchGroups: (p) => [group(p)],
    });
    const leaving = await executor('import-executor', behaviours.slow(30_000), group(prefix));
    const staying = await executor('import-executor', behaviours.succeed(), group(prefix));
    await expect(recorder).toHaveRebalancedTo({
      groupId: group(prefix),
      members: 2,
      topic: config.tasks.topic,
      partitions: config.partitions,
      timeoutMs: 20_000,
    });
    const runIds = runIdsOverPartitions('stop', config.partitions, 1);
    for (const runId of runIds) await engine.startRun('bulk-import', { tenantId: 'acme', runId });

    await vi.waitFor(() => expect(leaving.stats().received).toBe(1), { timeout: 10_000 });
    await leaving.stop();
    await expect(recorder).toHaveRebalancedTo({
      groupId: group(prefix),
      members: 1,
      topic: config.tasks.topic,
      partitions: config.partitions,
      timeoutMs: 20_000,
    });
    for (const runId of runIds) await expect(recorder).toHaveCompletedRun(runId, { timeoutMs: 20_000 });
    expect(staying.answered).toHaveLength(runIds.length);
    expect(leaving.stats().received).toBe(1);
    expect(leaving.answered).toEqual([]);
    // Still one member after the redelivered task was answered.
    await expect(recorder).toHaveRebalancedTo({
      groupId: group(prefix),
      members: 1,
      topic: config.tasks.topic,
      partitions: config.partitions,
      timeoutMs: 0,
    });
  });

  it('one of two leaves mid-run and another joins: every run completes, no task lost or completed twice', async () => {
    const group = (prefix: string) => `${prefix}.importers`;
    const { recorder, engine, config, executor, prefix } = await world('join-leave', {
      watchGroups: (p) => [group(p)],
    });
    const handler = behaviours.slow(150);
    const first = await executor('import-executor', handler, group(prefix));
    const second = await executor('import-executor', handler, group(prefix));
    await expect(recorder).toHaveRebalancedTo({
      groupId: group(prefix),
      members: 2,
      topic: config.tasks.topic,
      partitions: config.partitions,
      timeoutMs: 20_000,
    });

    const batch1 = runIdsOverPartitions('a', config.partitions, 8);
    for (const runId of batch1) await engine.startRun('bulk-import', { tenantId: 'acme', runId });
    await vi.waitFor(() => expect(Math.min(first.answered.length, second.answered.length)).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
    });
    await first.stop(); // mid-run: a task it had in flight is not committed and goes to the other member
    const answeredByFirst = first.answered.length;
    await expect(recorder).toHaveRebalancedTo({
      groupId: group(prefix),
      members: 1,
      topic: config.tasks.topic,
      partitions: config.partitions,
      timeoutMs: 20_000,
    });
    const receivedByFirst = first.stats().received;
    expect(answeredByFirst).toBeLessThan(batch1.length);
    for (const runId of batch1) await expect(recorder).toHaveCompletedRun(runId, { timeoutMs: 30_000 });

    const third = await executor('import-executor', handler, group(prefix));
    await expect(recorder).toHaveRebalancedTo({
      groupId: group(prefix),
      members: 2,
      topic: config.tasks.topic,
      partitions: config.partitions,
      timeoutMs: 20_000,
    });
    const batch2 = runIdsOverPartitions('b', config.partitions, 2);
    for (const runId of batch2) await engine.startRun('bulk-import', { tenantId: 'acme', runId });
    for (const runId of batch2) await expect(recorder).toHaveCompletedRun(runId, { timeoutMs: 30_000 });

    const all = [...batch1, ...batch2];
    await expect(recorder).toHaveNoLostOrDuplicatedTasks(all);
    expect(first.answered).toHaveLength(answeredByFirst); // gone for good
    expect(first.stats().received).toBe(receivedByFirst);
    expect(third.answered.length).toBeGreaterThan(0); // owns a partition, and every partition got runs
    const answered = new Set([...first.answered, ...second.answered, ...third.answered]);
    expect(all.filter((runId) => !answered.has(`${runId}:import:1`))).toEqual([]);
    expect(engine.outcomes.applied).toBe(all.length);
  });
});

describe('keepEndedRuns', () => {
  it('keeps only the latest ended runs (the oldest forgotten first) and still runs new ones', async () => {
    const workspace = await openWorkspace(stack.broker, stack.config.gamelan, {
      name: 'beh-keep',
      clientId: 'behaviours-keep',
    });
    onTestFinished(() => workspace.stop());
    const engine = await workspace.startEngine({
      workflows: WORKFLOWS,
      groupId: workspace.groupId('engine'),
      keepEndedRuns: 2,
    });
    await workspace.startExecutor({
      executorType: 'import-executor',
      handler: behaviours.succeed(),
      groupId: workspace.groupId('import-executor'),
    });
    const ended: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { runId } = await engine.startRun('bulk-import', { tenantId: 'acme' });
      ended.push((await engine.waitForRun(runId)).runId);
    }
    expect(engine.core.runs().map((r) => r.runId)).toEqual(ended.slice(2));
    expect(engine.core.run(ended[0]!)).toBeUndefined();
    expect((await engine.waitForRun(ended[3]!)).status).toBe('COMPLETED');
  });

  it.each([-1, 1.5, Number.NaN])('refuses keepEndedRuns = %s before it connects, naming the option', async (keep) => {
    const error = await FakeEngine.start({
      kafka: stack.broker.kafka('never-used'),
      config: stack.config.gamelan,
      keepEndedRuns: keep,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID_VALUE', details: { key: 'keepEndedRuns' } });
    expect((error as Error).message).toContain('integer ≥ 0');
  });
});

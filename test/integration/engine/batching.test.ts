import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import '../../../harness/vitest/index.js';
import { behaviours, startStack, type StartedStack, type TaskMessage } from '../../../harness/index.js';
import { consumerLag, totalLag } from '../../../harness/entries/brokers.js';
import { TaskConsumer, TaskProducer } from '../../../harness/entries/protocol.js';
import { openWorkspace } from '../../../harness/workspace/index.js';
import { testBrokerKind } from '../../support/broker.js';

// Batching at volume on a real broker: lingering, coalesced sends; batch consumption per partition in
// chunks of max.poll.records; commits only after a chunk's results are acknowledged. Nothing may be lost
// or completed twice, and a kill -9 in the middle of a chunk must redeliver the chunk, not skip it.

let stack: StartedStack;

beforeAll(async () => {
  stack = await startStack({ kafka: await testBrokerKind() });
});

afterAll(async () => {
  await stack?.stop();
});

async function workspace(name: string) {
  const ws = await openWorkspace(stack.broker, stack.config.gamelan, {
    name: `batch-${name}`,
    clientId: `batching-${name}`,
  });
  onTestFinished(() => ws.stop());
  return ws;
}

const task = (i: number): TaskMessage => ({
  taskId: `run-b${i}:import:1`,
  runId: `run-b${i}`,
  nodeId: 'import',
  attempt: 1,
  token: 'f'.repeat(32),
  context: { row: i },
  targetExecutor: 'import-executor',
  createdAt: new Date().toISOString(),
});

describe('batched producers', () => {
  it('concurrent sends share produce requests, and each says the partition and offset its record really has', async () => {
    const ws = await workspace('offsets');
    const producer = await TaskProducer.connect({ kafka: ws.kafka, config: ws.config });
    onTestFinished(() => producer.stop());
    const sent = await Promise.all(Array.from({ length: 500 }, (_, i) => producer.send(task(i))));
    const { records, requests } = producer.batchingStats();
    expect(records).toBe(500);
    expect(requests).toBeLessThan(50); // one request per record before batching

    const seen = new Map<string, { partition: number; offset: string }>();
    const consumer = await TaskConsumer.start({
      kafka: ws.kafka,
      config: ws.config,
      groupId: ws.groupId('offsets-reader'),
      handler: (message, context) =>
        void seen.set(message.taskId, { partition: context.partition, offset: context.offset }),
    });
    onTestFinished(() => consumer.stop());
    await vi.waitFor(() => expect(seen.size).toBe(500), { timeout: 30_000 });
    for (const [i, where] of sent.entries())
      expect({ partition: where.partition, offset: where.offset }).toEqual(seen.get(task(i).taskId));
    // Kafka offsets are dense per partition: no two sends were given the same one.
    expect(new Set(sent.map((s) => `${s.partition}:${s.offset}`)).size).toBe(500);
  }, 90_000);
});

describe('engine and executors under batching', () => {
  it('2,000 runs started at once all complete, each task exactly once, and the executors commit up to the end', async () => {
    const ws = await workspace('volume');
    const recorder = await ws.startRecorder();
    const engine = await ws.startEngine();
    const executors = await Promise.all(
      [0, 1, 2].map(() => ws.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() })),
    );
    const runs = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        engine.startRun('bulk-import', { tenantId: `t-${i % 5}`, context: { row: i } }),
      ),
    );
    const ended = await Promise.all(runs.map((r) => engine.waitForRun(r.runId, 60_000)));
    expect(ended.filter((r) => r.status !== 'COMPLETED')).toEqual([]);
    await expect(recorder).toHaveNoLostOrDuplicatedTasks(
      runs.map((r) => r.runId),
      { timeoutMs: 30_000 },
    );
    // Every task was answered (and the answer applied) once: a duplicate would be a second applied result.
    expect(engine.outcomes.applied).toBe(2_000);
    expect(executors.reduce((n, e) => n + e.stats().succeeded, 0)).toBeGreaterThanOrEqual(2_000);
    await vi.waitFor(
      async () => expect(totalLag(await consumerLag(ws.admin, ws.config.consumer.groupId, [ws.topics.tasks]))).toBe(0),
      { timeout: 20_000 },
    );
  }, 180_000);

  it('an executor killed with kill -9 in the middle of a chunk: the chunk is redelivered to the others, nothing lost, nothing completed twice', async () => {
    const ws = await workspace('kill9');
    const recorder = await ws.startRecorder();
    const engine = await ws.startEngine();
    // Alone in its group and slow: its first chunk (up to max.poll.records tasks per partition) is half done
    // and its results are already on the results topic when it dies; nothing of the chunk is committed.
    const victim = await ws.startExecutorProcess({ executorType: 'import-executor', behaviour: 'slow:40' });
    const runs = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        engine.startRun('bulk-import', { tenantId: `t-${i % 3}`, context: { row: i } }),
      ),
    );
    await vi.waitFor(() => expect(engine.outcomes.applied).toBeGreaterThanOrEqual(20), {
      timeout: 30_000,
      interval: 20,
    });
    const appliedBeforeKill = engine.outcomes.applied;
    expect(appliedBeforeKill).toBeLessThan(300);
    await victim.crash();

    await Promise.all(
      [0, 1].map(() => ws.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() })),
    );
    const ended = await Promise.all(runs.map((r) => engine.waitForRun(r.runId, 60_000)));
    expect(ended.filter((r) => r.status !== 'COMPLETED')).toEqual([]);
    await expect(recorder).toHaveNoLostOrDuplicatedTasks(
      runs.map((r) => r.runId),
      { timeoutMs: 30_000 },
    );
    expect(engine.outcomes.applied).toBe(300);
    // Redelivered, not skipped: tasks the victim had answered but not committed were answered again.
    expect(engine.outcomes.duplicate).toBeGreaterThan(0);
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../harness/vitest/index.js';
import { behaviours, FakeEngine, FakeExecutor, FlowRecorder, decodeForRecorder, startStack, type StartedStack } from '../../../harness/index.js';
import { scenarioConfig } from '../../../harness/scenario/runner.js';
import { planTopics, provisionTopics } from '../../../harness/topics/index.js';
import { testBrokerKind } from '../../support/broker.js';

// The bundled vitest matchers against a real flow: they pass on what happened, and fail with what the flow held.
let stack: StartedStack;
let recorder: FlowRecorder;
let engine: FakeEngine;
let runId: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  stack = await startStack({ kafka: await testBrokerKind() });
  const config = scenarioConfig(stack.config.gamelan, `vitest-${Date.now().toString(36)}`, { name: 'x', description: 'x', run: async () => {} });
  await provisionTopics(await stack.broker.admin(), planTopics(config, stack.broker.brokerCount).topics);
  const kafka = stack.broker.kafka('matchers-test');
  recorder = await FlowRecorder.start({ kafka, config, decode: decodeForRecorder });
  engine = await FakeEngine.start({ kafka, config, groupId: `${config.consumer.groupId}-engine` });
  const executor = await FakeExecutor.start({ kafka, config, executorType: 'import-executor', handler: behaviours.succeed({ imported: true }) });
  stops.push(() => executor.stop(), () => engine.stop(), () => recorder.stop());
  runId = (await engine.startRun('bulk-import', { tenantId: 'acme' })).runId;
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await stack?.stop();
});

describe('gamelan-kafka-harness/vitest matchers', () => {
  it('pass on the real flow', async () => {
    await expect(recorder).toHaveCompletedRun(runId);
    await expect(recorder).toHavePublished('results', { runId, status: 'SUCCESS', output: { imported: true } }, { key: runId });
    await expect(recorder).toHavePreservedRunOrder(runId);
    await expect(recorder).toHaveNoLostOrDuplicatedTasks([runId]);
    expect(recorder).toMatchContract();
  });

  it('fail with what was expected and what the flow held', async () => {
    await expect(expect(recorder).toHaveFailedRun(runId, { timeoutMs: 200 })).rejects.toThrow(
      new RegExp(`expected run ${runId} to be FAILED .*the flow holds events \\[RUN_CREATED, NODE_STARTED, NODE_COMPLETED, RUN_COMPLETED\\]`),
    );
    await expect(expect(recorder).toHavePublished('tasks', { nodeId: 'nope' }, { timeoutMs: 100 })).rejects.toThrow(/expected a tasks message matching \{"nodeId":"nope"\}; the flow holds 1 tasks message/);
  });

  it('the recorder exports the flow as JSON lines, indexed by run and task', async () => {
    await expect(recorder).toHaveCompletedRun(runId);
    const lines = recorder.toJsonLines().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBe(recorder.messages().length);
    expect(lines[0]).toEqual(expect.objectContaining({ topic: expect.any(String), partition: expect.any(Number), offset: expect.any(String), headers: expect.any(Object), timestamp: expect.any(Number) }));
    expect(recorder.byRun(runId).map((m) => m.role)).toEqual(expect.arrayContaining(['tasks', 'results', 'events', 'status']));
    expect(recorder.byTenant('acme').every((m) => m.role === 'status')).toBe(true);
    const [task] = recorder.ofRole<{ taskId: string }>('tasks');
    expect(recorder.byTask(task!.value!.taskId).map((m) => m.role).sort()).toEqual(['results', 'tasks']);
  });

  it('.not inverts', async () => {
    await expect(recorder).not.toHaveFailedRun(runId, { timeoutMs: 0 });
  });
});

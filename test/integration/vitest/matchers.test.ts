import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../harness/vitest/index.js';
import { behaviours, type FlowRecorder, startStack, type StartedStack } from '../../../harness/index.js';
import { openWorkspace, type Workspace } from '../../../harness/workspace/index.js';
import { testBrokerKind } from '../../support/broker.js';

// The bundled vitest matchers against a real flow: they pass on what happened, and fail with what the flow held.
let stack: StartedStack;
let workspace: Workspace | undefined;
let recorder: FlowRecorder;
let runId: string;

beforeAll(async () => {
  stack = await startStack({ kafka: await testBrokerKind() });
  workspace = await openWorkspace(stack.broker, stack.config.gamelan, { name: 'vitest', clientId: 'matchers-test' });
  recorder = await workspace.startRecorder();
  const engine = await workspace.startEngine();
  await workspace.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed({ imported: true }) });
  runId = (await engine.startRun('bulk-import', { tenantId: 'acme' })).runId;
});

afterAll(async () => {
  await workspace?.stop();
  await stack?.stop();
});

describe('gamelan-kafka-harness/vitest matchers', () => {
  it('pass on the real flow', async () => {
    await expect(recorder).toHaveCompletedRun(runId);
    await expect(recorder).toHavePublished(
      'results',
      { runId, status: 'SUCCESS', output: { imported: true } },
      { key: runId },
    );
    await expect(recorder).toHavePreservedRunOrder(runId);
    await expect(recorder).toHaveNoLostOrDuplicatedTasks([runId]);
    expect(recorder).toMatchSchema();
  });

  it('fail with what was expected and what the flow held', async () => {
    await expect(expect(recorder).toHaveFailedRun(runId, { timeoutMs: 200 })).rejects.toThrow(
      new RegExp(
        `expected run ${runId} to be FAILED, but it ended COMPLETED; the flow holds events \\[RUN_CREATED, NODE_STARTED, NODE_COMPLETED, RUN_COMPLETED\\]`,
      ),
    );
    await expect(expect(recorder).toHavePublished('tasks', { nodeId: 'nope' }, { timeoutMs: 100 })).rejects.toThrow(
      /expected a tasks message matching \{"nodeId":"nope"\}; the flow holds 1 tasks message/,
    );
  });

  it('the recorder exports the flow as JSON lines, indexed by run and task', async () => {
    await expect(recorder).toHaveCompletedRun(runId);
    const lines = recorder
      .toJsonLines()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBe(recorder.messages().length);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        topic: expect.any(String),
        partition: expect.any(Number),
        offset: expect.any(String),
        headers: expect.any(Object),
        timestamp: expect.any(Number),
      }),
    );
    expect(recorder.byRun(runId).map((m) => m.role)).toEqual(
      expect.arrayContaining(['tasks', 'results', 'events', 'status']),
    );
    expect(recorder.byTenant('acme').every((m) => m.role === 'status')).toBe(true);
    const [task] = recorder.ofRole<{ taskId: string }>('tasks');
    expect(
      recorder
        .byTask(task!.value!.taskId)
        .map((m) => m.role)
        .sort(),
    ).toEqual(['results', 'tasks']);
  });

  it('.not inverts', async () => {
    await expect(recorder).not.toHaveFailedRun(runId, { timeoutMs: 0 });
  });

  it('asymmetric matchers anywhere in an expected message, on the real flow', async () => {
    await expect(recorder).toHavePublished(
      'results',
      {
        runId: expect.stringMatching(/^run-/),
        status: 'SUCCESS',
        completedAt: expect.any(String),
        attempt: expect.any(Number),
        output: expect.objectContaining({ imported: true }),
      },
      { key: runId },
    );
    await expect(recorder).toHavePublished('status', {
      runId,
      tenantId: 'acme',
      status: expect.stringMatching(/^(RUNNING|COMPLETED)$/),
    });
    await expect(
      expect(recorder).toHavePublished('results', { runId, status: expect.stringMatching(/^FAIL/) }, { timeoutMs: 0 }),
    ).rejects.toThrow(
      /expected a results message matching \{"runId":"run-[^"]+","status":"StringMatching \/\^FAIL\/"\}/,
    );
  });

  // Regression (issue 12): FlowRecorder.start({ kafka, config }) without `decode`, as untyped vitest code
  // writes it, recorded nothing at all, silently. It records with the protocol's decoder now.
  it('FlowRecorder.start({ kafka, config }) without decode records decoded messages', async () => {
    const { FlowRecorder } = await import('../../../harness/index.js');
    await using plain = await FlowRecorder.start({ kafka: workspace!.kafka, config: workspace!.config });
    await expect(plain).toHaveCompletedRun(runId);
    expect(plain.byRun(runId).length).toBeGreaterThanOrEqual(4);
    expect(plain.messages((m) => m.decodeError !== undefined)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { ManualClock } from '../../../harness/engine/clock.js';
import { EngineCore, type EngineOutput } from '../../../harness/engine/core.js';
import { BUNDLED_WORKFLOWS_DIR, readWorkflows, parseWorkflow } from '../../../harness/engine/workflow.js';
import type { TaskMessage, TaskResultMessage } from '../../../harness/protocol/index.js';

// The engine's decisions, with no Kafka and a clock that moves only when told to.
const dlq = { ...DEFAULT_CONFIG.dlq, maxRetries: 3, backoffMs: 1000, backoffMultiplier: 2, maxBackoffMs: 30_000 };

function engine(workflows = readWorkflows(BUNDLED_WORKFLOWS_DIR)) {
  const clock = new ManualClock(0);
  const out: EngineOutput[] = [];
  const core = new EngineCore({ workflows, dlq, clock, emit: (o) => out.push(o) });
  const tasks = () =>
    out.filter((o): o is Extract<EngineOutput, { kind: 'task' }> => o.kind === 'task').map((o) => o.message);
  const events = (runId: string) =>
    out.flatMap((o) => (o.kind === 'event' && o.message.runId === runId ? [o.message.eventType] : []));
  const statuses = () => out.flatMap((o) => (o.kind === 'status' ? [o.message.status] : []));
  const answer = (
    task: TaskMessage,
    status: TaskResultMessage['status'] = 'SUCCESS',
    output: Record<string, unknown> = { ok: true },
  ) =>
    core.onResult({
      taskId: task.taskId,
      runId: task.runId,
      nodeId: task.nodeId,
      attempt: task.attempt,
      token: task.token,
      status,
      output,
      completedAt: '2026-01-01T00:00:00Z',
      ...(status === 'SUCCESS' ? {} : { error: { code: 'E', message: 'boom' } }),
    });
  return { core, clock, out, tasks, events, statuses, answer };
}

describe('EngineCore', () => {
  it('runs a linear workflow node after node, passing outputs downstream, and completes', () => {
    const e = engine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme', context: { amount: 10 } });
    expect(e.tasks().map((t) => t.nodeId)).toEqual(['validate']);
    expect(e.answer(e.tasks()[0]!, 'SUCCESS', { valid: true })).toBe('applied');
    const charge = e.tasks()[1]!;
    expect(charge).toMatchObject({
      nodeId: 'charge',
      attempt: 1,
      taskId: `${run.runId}:charge:1`,
      targetExecutor: 'payment-processor',
    });
    expect(charge.context).toMatchObject({ amount: 10, tenantId: 'acme', upstream: { validate: { valid: true } } });
    e.answer(charge);
    e.answer(e.tasks()[2]!);
    expect(run.status).toBe('COMPLETED');
    expect(e.events(run.runId)).toEqual([
      'RUN_CREATED',
      'NODE_STARTED',
      'NODE_COMPLETED',
      'NODE_STARTED',
      'NODE_COMPLETED',
      'NODE_STARTED',
      'NODE_COMPLETED',
      'RUN_COMPLETED',
    ]);
    expect(e.statuses()).toEqual(['RUNNING', 'COMPLETED']);
  });

  it('fans out, and fans in only when every predecessor completed', () => {
    const e = engine();
    e.core.startRun('order-fan-out', { tenantId: 'acme' });
    e.answer(e.tasks()[0]!);
    const parallel = e.tasks().slice(1);
    expect(parallel.map((t) => t.nodeId).sort()).toEqual(['charge', 'reserve-stock', 'score-fraud']);
    e.answer(parallel[0]!);
    e.answer(parallel[1]!);
    expect(e.tasks().some((t) => t.nodeId === 'ship')).toBe(false);
    e.answer(parallel[2]!);
    expect(e.tasks().filter((t) => t.nodeId === 'ship')).toHaveLength(1);
  });

  it('retries a failing node with exponential backoff, then dead-letters it and fails the run', () => {
    const e = engine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme' });
    e.answer(e.tasks()[0]!);
    const publishedAt: number[] = [];
    const delays = [1000, 2000, 4000];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const task = e.tasks().at(-1)!;
      expect(task).toMatchObject({ nodeId: 'charge', attempt });
      publishedAt.push(e.clock.now());
      e.answer(task, 'FAILURE');
      if (attempt === 4) break;
      e.clock.advance(delays[attempt - 1]! - 1);
      expect(e.tasks().at(-1)!.attempt).toBe(attempt); // not before the backoff
      e.clock.advance(1);
    }
    expect(publishedAt.slice(1).map((t, i) => t - publishedAt[i]!)).toEqual(delays);
    expect(run.status).toBe('FAILED');
    const letters = e.out.filter((o) => o.kind === 'dead-letter');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ reason: 'HANDLER_FAILED', task: { nodeId: 'charge', attempt: 4 } });
    expect(e.events(run.runId).filter((t) => t === 'NODE_RETRY_SCHEDULED')).toHaveLength(3);
    expect(e.events(run.runId).slice(-2)).toEqual(['NODE_DEAD_LETTERED', 'RUN_FAILED']);
    expect(e.statuses().at(-1)).toBe('FAILED');
  });

  it('times out an attempt that gets no result, retries it, and treats a late result as stale', () => {
    const wf = parseWorkflow({ id: 'slow', nodes: [{ id: 'n', executor: 'x', timeoutMs: 500 }] }, 'inline');
    const e = engine(new Map([[wf.id, wf]]));
    const run = e.core.startRun('slow', { tenantId: 't' });
    const first = e.tasks()[0]!;
    e.clock.advance(500);
    expect(e.events(run.runId)).toContain('NODE_FAILED');
    e.clock.advance(1000);
    expect(e.tasks().at(-1)).toMatchObject({ attempt: 2 });
    expect(e.answer(first)).toBe('stale'); // its attempt timed out: the late result changes nothing
    expect(run.status).toBe('RUNNING');
    expect(e.answer(e.tasks().at(-1)!)).toBe('applied');
    expect(run.status).toBe('COMPLETED');
  });

  it('dead-letters a node that keeps timing out with reason TASK_TIMED_OUT', () => {
    const wf = parseWorkflow({ id: 'slow', nodes: [{ id: 'n', executor: 'x', timeoutMs: 100 }] }, 'inline');
    const e = engine(new Map([[wf.id, wf]]));
    const run = e.core.startRun('slow', { tenantId: 't' });
    e.clock.advance(60_000);
    expect(e.tasks()).toHaveLength(4);
    expect(run.status).toBe('FAILED');
    expect(e.out.find((o) => o.kind === 'dead-letter')).toMatchObject({ reason: 'TASK_TIMED_OUT' });
  });

  it('ignores a duplicate result, a result with the wrong token, and results for unknown runs', () => {
    const e = engine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme' });
    const task = e.tasks()[0]!;
    expect(
      e.core.onResult({
        taskId: task.taskId,
        runId: task.runId,
        nodeId: task.nodeId,
        attempt: 1,
        token: 'wrong-token-123',
        status: 'SUCCESS',
        completedAt: '2026-01-01T00:00:00Z',
      }),
    ).toBe('token-mismatch');
    expect(e.answer(task)).toBe('applied');
    const before = e.out.length;
    expect(e.answer(task)).toBe('duplicate');
    expect(e.out.length).toBe(before);
    expect(
      e.core.onResult({
        ...{
          taskId: 'run-x:n:1',
          runId: 'run-x',
          nodeId: 'n',
          attempt: 1,
          token: 'tok-1234567890',
          status: 'SUCCESS',
          completedAt: '2026-01-01T00:00:00Z',
        },
      }),
    ).toBe('unknown-run');
    expect(e.core.counts).toEqual({ duplicate: 1, stale: 0, unknownRun: 1, tokenMismatch: 1 });
    expect(run.nodes.get('validate')?.status).toBe('COMPLETED');
  });

  it('keys nothing on wall time: the injectable clock stamps events and tasks', () => {
    const e = engine();
    e.clock.advance(86_400_000);
    e.core.startRun('payment-linear', { tenantId: 'acme' });
    expect(e.tasks()[0]!.createdAt).toBe('1970-01-02T00:00:00Z');
  });

  it('forgets an ended run on request: its state, its applied and timed-out tasks; a running run stays', () => {
    const e = engine();
    const done = e.core.startRun('payment-linear', { tenantId: 'acme' });
    for (let i = 0; i < 3; i++) e.answer(e.tasks()[i]!);
    expect(done.status).toBe('COMPLETED');
    const running = e.core.startRun('payment-linear', { tenantId: 'acme' });
    expect(e.core.forget(running.runId)).toBeUndefined();
    expect(e.core.run(running.runId)).toBe(running);
    const finished = e.tasks().filter((t) => t.runId === done.runId);
    expect(e.core.forget(done.runId)).toEqual(finished.map((t) => t.taskId));
    expect(e.core.run(done.runId)).toBeUndefined();
    expect(e.core.runs()).toEqual([running]);
    expect(e.answer(finished[0]!)).toBe('unknown-run'); // was 'duplicate' while kept
    expect(e.core.forget(done.runId)).toBeUndefined();
  });

  it("names every attempt of a retried node among a forgotten run's tasks", () => {
    const e = engine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme' });
    e.answer(e.tasks()[0]!);
    e.answer(e.tasks()[1]!, 'FAILURE');
    e.clock.advance(1_000);
    e.answer(e.tasks()[2]!);
    e.answer(e.tasks()[3]!);
    expect(run.status).toBe('COMPLETED');
    expect(e.core.forget(run.runId)).toEqual([
      `${run.runId}:validate:1`,
      `${run.runId}:charge:1`,
      `${run.runId}:charge:2`,
      `${run.runId}:notify:1`,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { type TopicRole } from '../../../harness/vocabulary.js';
import { ManualClock } from '../../../harness/engine/clock.js';
import { EngineCore, type EngineOutput } from '../../../harness/engine/core.js';
import { BUNDLED_WORKFLOWS_DIR, readWorkflows } from '../../../harness/engine/workflow.js';
import { noTaskLostOrDuplicated, preservedRunOrder } from '../../../harness/matchers/index.js';
import { decodeRecordIn, encodeRecordIn } from '../../../harness/protocol/dialects/codec.js';
import { upstreamDialect } from '../../../harness/protocol/dialects/upstream/index.js';
import {
  instantNow,
  type MessageForRole,
  type TaskMessage,
  type TaskResultMessage,
} from '../../../harness/protocol/index.js';
import type { RecordedMessage } from '../../../harness/recorder/types.js';

// The fake engine and executors in the upstream dialect, without a broker: the engine's decisions (EngineCore)
// go out through the upstream encoder exactly where the Kafka side encodes them, and what an executor answers
// comes back through the upstream decoder — as the Java module writes and the Java engine reads.

type MessageRole = Exclude<TopicRole, 'dlq'>;
const wireOf = (role: MessageRole, message: MessageForRole<MessageRole>) => {
  const record = encodeRecordIn('upstream', role, message as never);
  return {
    key: record.key === null ? null : record.key.toString(),
    json: JSON.parse(record.value!.toString()) as Record<string, unknown>,
    record,
  };
};

/** An engine whose every output is written in upstream and read back, and an executor answering the same way. */
function upstreamEngine() {
  const dlq = { ...DEFAULT_CONFIG.dlq, maxRetries: 1, backoffMs: 10 };
  const clock = new ManualClock(0);
  const out: EngineOutput[] = [];
  const core = new EngineCore({
    workflows: readWorkflows(BUNDLED_WORKFLOWS_DIR),
    dlq,
    clock,
    emit: (o) => out.push(o),
  });
  const tasksOnWire = () =>
    out
      .filter((o): o is Extract<EngineOutput, { kind: 'task' }> => o.kind === 'task')
      .map((o) => wireOf('tasks', o.message));
  /** The executor: decodes the task in upstream, answers as FakeExecutor does, encodes the result in upstream. */
  const answer = (wire: ReturnType<typeof wireOf>, status: TaskResultMessage['status'] = 'SUCCESS') => {
    const decoded = decodeRecordIn('upstream', 'tasks', wire.record);
    if (!decoded.ok) throw decoded.failure.error;
    const task: TaskMessage = decoded.message.message;
    const result: TaskResultMessage = {
      taskId: task.taskId,
      runId: task.runId,
      nodeId: task.nodeId,
      attempt: task.attempt,
      token: task.token,
      status,
      executionTime: 0.01,
      executorId: 'x-1',
      completedAt: instantNow(),
      ...(status === 'SUCCESS' ? { output: { ok: true } } : { error: { code: 'HANDLER_FAILED', message: 'boom' } }),
    };
    const onWire = wireOf('results', result);
    const read = decodeRecordIn('upstream', 'results', onWire.record);
    if (!read.ok) throw read.failure.error;
    return { onWire, outcome: core.onResult(read.message.message) };
  };
  return { core, clock, out, tasksOnWire, answer };
}

describe('the fake engine in upstream', () => {
  it('writes tasks as KafkaTaskProducer (taskId, executionToken, scheduledAt; keyed by runId) and reads them back unchanged', () => {
    const e = upstreamEngine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme', context: { amount: 10 } });
    const [task] = e.tasksOnWire();
    expect(task!.key).toBe(run.runId);
    expect(Object.keys(task!.json).sort()).toEqual([
      'attempt',
      'context',
      'executionToken',
      'nodeId',
      'runId',
      'scheduledAt',
      'targetExecutor',
      'taskId',
    ]);
    const decoded = decodeRecordIn('upstream', 'tasks', task!.record);
    expect(decoded.ok && decoded.message.message).toEqual(e.out.find((o) => o.kind === 'task')!.message);
  });

  it('an executor answers as the Java engine reads (COMPLETED, executionToken, no taskId); the engine applies it and the run completes', () => {
    const e = upstreamEngine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme' });
    for (let i = 0; i < 3; i++) {
      const { onWire, outcome } = e.answer(e.tasksOnWire().at(-1)!);
      expect(outcome).toBe('applied');
      expect(onWire.key).toBe(run.runId);
      expect(onWire.json).toMatchObject({ status: 'COMPLETED', executionToken: expect.any(String) });
      expect(onWire.json).not.toHaveProperty('taskId');
      expect(onWire.json).not.toHaveProperty('executionTime');
      expect(onWire.json).not.toHaveProperty('executorId');
    }
    expect(run.status).toBe('COMPLETED');
  });

  it('a FAILED answer (error as strings) is retried, then dead-lettered; the run fails', () => {
    const e = upstreamEngine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme' });
    e.answer(e.tasksOnWire().at(-1)!);
    const first = e.answer(e.tasksOnWire().at(-1)!, 'FAILURE');
    expect(first.onWire.json).toMatchObject({ status: 'FAILED', error: { code: 'HANDLER_FAILED', message: 'boom' } });
    e.clock.advance(1_000);
    expect(e.tasksOnWire().at(-1)!.json).toMatchObject({ nodeId: 'charge', attempt: 2 });
    e.answer(e.tasksOnWire().at(-1)!, 'FAILURE');
    expect(run.status).toBe('FAILED');
    const letter = e.out.find((o) => o.kind === 'dead-letter');
    expect(letter).toBeDefined();
  });

  it('writes events unkeyed with the Java event types (RUN_CREATED as WorkflowStarted) and status without tenantId, keyed by runId', () => {
    const e = upstreamEngine();
    const run = e.core.startRun('payment-linear', { tenantId: 'acme' });
    const events = e.out
      .filter((o): o is Extract<EngineOutput, { kind: 'event' }> => o.kind === 'event')
      .map((o) => wireOf('events', o.message));
    expect(events.map((w) => w.key)).toEqual(events.map(() => null));
    expect(events.map((w) => w.json.eventType)).toEqual(['WorkflowStarted', 'NodeStarted']);
    // As KafkaEventPublisher writes them: the run's tenant on WorkflowStarted only, eventData echoing the event.
    expect(events.map((w) => w.json.tenantId)).toEqual(['acme', 'system']);
    for (const w of events) {
      expect(w.json.eventData).toMatchObject({
        eventType: w.json.eventType,
        eventId: w.json.eventId,
        runId: run.runId,
        occurredAt: w.json.occurredAt,
      });
      expect(upstreamDialect.check('events', w.record)).toEqual([]);
    }
    const status = e.out.find((o): o is Extract<EngineOutput, { kind: 'status' }> => o.kind === 'status')!;
    const onWire = wireOf('status', status.message);
    expect(onWire.key).toBe(run.runId);
    expect(onWire.json).toMatchObject({ runId: run.runId, status: 'RUNNING' });
    expect(onWire.json).not.toHaveProperty('tenantId');
  });

  it('NODE_DEAD_LETTERED is written as the nearest Java event, NodeFailed (lossy)', () => {
    const { mapped, wire } = upstreamDialect.toWire('events', {
      eventId: 'e1',
      runId: 'r1',
      eventType: 'NODE_DEAD_LETTERED',
      payload: { nodeId: 'n', attempt: 3, reason: 'failed 3 time(s)' },
      timestamp: '2026-01-01T00:00:00Z',
      actorId: undefined,
    });
    expect(wire.eventType).toBe('NodeFailed');
    expect(mapped.find((n) => n.field === 'eventType')).toMatchObject({ lossy: true });
  });

  it('decoding in upstream fails as the protocol consumers expect: the README form, an unknown status, a tombstone', () => {
    const readme = {
      key: 'r1',
      value: JSON.stringify({
        taskId: 'r1:n:1',
        runId: 'r1',
        nodeId: 'n',
        attempt: 1,
        token: 'tok-0123456789',
        status: 'SUCCESS',
        completedAt: '2026-01-01T00:00:00Z',
      }),
    };
    const failure = decodeRecordIn('upstream', 'results', readme);
    expect(failure.ok).toBe(false);
    expect(!failure.ok && failure.failure).toMatchObject({ code: 'MESSAGE_INVALID', path: '$.executionToken' });
    const unknown = decodeRecordIn('upstream', 'results', {
      key: 'r1',
      value: JSON.stringify({ runId: 'r1', nodeId: 'n', attempt: 1, executionToken: 'tok-0123456789', status: 'DONE' }),
    });
    expect(!unknown.ok && unknown.failure).toMatchObject({
      code: 'MESSAGE_INVALID',
      path: '$.status',
      reason: expect.stringMatching(/\(upstream dialect\)$/),
    });
    const tombstone = decodeRecordIn('upstream', 'results', { key: 'r1', value: null });
    expect(!tombstone.ok && tombstone.failure.code).toBe('MESSAGE_DECODE_FAILED');
  });

  it('spec is untouched: encodeRecordIn/decodeRecordIn give what encodeRecord/decodeRecord give', () => {
    const task: TaskMessage = {
      taskId: 'r1:n:1',
      runId: 'r1',
      nodeId: 'n',
      attempt: 1,
      token: 'tok-0123456789',
      context: undefined,
      targetExecutor: undefined,
      createdAt: '2026-01-01T00:00:00Z',
    };
    const record = encodeRecordIn('spec', 'tasks', task, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(JSON.parse(record.value!.toString())).toHaveProperty('token', 'tok-0123456789');
    const decoded = decodeRecordIn('spec', 'tasks', record);
    expect(decoded.ok && decoded.message.message).toMatchObject({ taskId: 'r1:n:1', token: 'tok-0123456789' });
  });
});

describe('matchers on an upstream flow', () => {
  const runId = 'run-u1';
  const rec = (
    role: TopicRole,
    partition: number,
    offset: string,
    value: unknown,
    timestamp: number,
  ): RecordedMessage => ({
    topic: role,
    role,
    partition,
    offset,
    key: role === 'events' || role === 'dlq' ? null : runId,
    headers: {},
    timestamp,
    value,
    rawBase64: null,
    receivedAt: 0,
  });
  // Events spread over two partitions, as the Java client's sticky partitioner would put unkeyed records.
  const messages = [
    rec('tasks', 1, '0', { runId, nodeId: 'a' }, 1),
    rec('events', 0, '5', { runId, eventType: 'NODE_STARTED', payload: { nodeId: 'a' } }, 2),
    rec('events', 2, '3', { runId, eventType: 'NODE_FAILED', payload: { nodeId: 'a' } }, 3),
    rec('dlq', 0, '0', { payload: JSON.stringify({ runId, nodeId: 'a', attempt: 1 }) }, 4),
  ];
  const flow = (dialect?: 'spec' | 'upstream') => ({
    ...(dialect ? { dialect } : {}),
    messages: (filter?: (m: RecordedMessage) => boolean) => (filter ? messages.filter(filter) : [...messages]),
    ofRole: <T>(role: TopicRole) => messages.filter((m) => m.role === role) as RecordedMessage<T>[],
    byRun: (id: string) => messages.filter((m) => (m.value as { runId?: string }).runId === id),
  });

  it('preservedRunOrder does not assume per-run order of unkeyed events in upstream, and says so', async () => {
    const upstream = await preservedRunOrder(flow('upstream'), runId, { timeoutMs: 0 });
    expect(upstream.pass).toBe(true);
    expect(upstream.message()).toContain('events not checked: the upstream dialect writes them without a key');
    const spec = await preservedRunOrder(flow(), runId, { timeoutMs: 0 });
    expect(spec.pass).toBe(false);
    expect(spec.message()).toContain('events on partitions');
  });

  it('noTaskLostOrDuplicated counts a node whose task is in the dead-letter queue (upstream has no NODE_DEAD_LETTERED event)', async () => {
    expect((await noTaskLostOrDuplicated(flow('upstream'), [runId], { timeoutMs: 0 })).pass).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { describeFailure, lastFailure, runCompleted, runFailed } from '../../../harness/matchers/run-outcome.js';
import type { RecordedFlow } from '../../../harness/matchers/flow.js';
import type { RecordedMessage } from '../../../harness/recorder/types.js';

// Waits for a run's outcome end once the run ended the other way, and say why. A flow in memory (no broker):
// the early exit is a property of the matcher, not of Kafka.
const RUN = 'run-1';
let offset = 0;
function message(role: RecordedMessage['role'], value: Record<string, unknown>, topic = `t.${role}`): RecordedMessage {
  return {
    topic,
    role,
    partition: 0,
    offset: String(offset++),
    key: RUN,
    headers: {},
    timestamp: 0,
    value: { runId: RUN, ...value },
    rawBase64: null,
    receivedAt: 0,
  };
}
const flowOf = (messages: RecordedMessage[]): RecordedFlow =>
  ({
    messages: () => messages,
    ofRole: () => [],
    byRun: (id: string) => (id === RUN ? messages : []),
  }) as unknown as RecordedFlow;

const failedRun = [
  message('events', { eventType: 'NODE_STARTED', payload: { nodeId: 'charge', attempt: 1 } }),
  message('results', {
    nodeId: 'charge',
    attempt: 1,
    status: 'FAILURE',
    error: { code: 'HANDLER_ERROR', message: 'first try' },
  }),
  message('results', {
    nodeId: 'charge',
    attempt: 2,
    status: 'FAILURE',
    error: { code: 'HANDLER_ERROR', message: 'then is not a function' },
  }),
  message('events', {
    eventType: 'NODE_FAILED',
    payload: { nodeId: 'charge', attempt: 2, reason: 'then is not a function' },
  }),
  message('dlq', { reason: 'HANDLER_FAILED', cause: 'charge failed 2 time(s)' }, 'gamelan.dead-letter-queue'),
  message('events', { eventType: 'RUN_FAILED', payload: { failedNode: 'charge' } }),
  message('status', { status: 'FAILED' }),
];

describe('runCompleted on a run that failed', () => {
  it('stops at once (not at its timeout) with the last failure: node, attempt, error text, dead letter', async () => {
    const started = Date.now();
    const result = await runCompleted(flowOf(failedRun), RUN, { timeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/expected run run-1 to be COMPLETED, but it ended FAILED/);
    expect(result.message()).toContain(
      'node charge, attempt 2: HANDLER_ERROR: then is not a function; dead-lettered to gamelan.dead-letter-queue partition 0 offset 4 (HANDLER_FAILED)',
    );
  });

  it('waits a short grace, not the timeout, for a dead letter that has not been recorded yet', async () => {
    const withoutLetter = failedRun.filter((m) => m.role !== 'dlq');
    const started = Date.now();
    const result = await runCompleted(flowOf(withoutLetter), RUN, { timeoutMs: 30_000, intervalMs: 20 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900); // the grace: the dead letter travels on another topic
    expect(elapsed).toBeLessThan(5_000);
    expect(result.message()).toMatch(/then is not a function; not dead-lettered/);
  });
});

describe('runFailed on a run that completed', () => {
  it('stops at once', async () => {
    const completed = [message('events', { eventType: 'RUN_COMPLETED' }), message('status', { status: 'COMPLETED' })];
    const started = Date.now();
    const result = await runFailed(flowOf(completed), RUN, { timeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.message()).toMatch(/expected run run-1 to be FAILED, but it ended COMPLETED/);
  });

  it('passes on a failed run, and its negation names the failure', async () => {
    const result = await runFailed(flowOf(failedRun), RUN, { timeoutMs: 0 });
    expect(result.pass).toBe(true);
    expect(result.message()).toMatch(/not to be FAILED.*last failure: node charge, attempt 2/);
  });
});

describe('a run still running', () => {
  it('is waited for until the timeout, showing the failures so far', async () => {
    const running = failedRun.slice(0, 2);
    const started = Date.now();
    const result = await runCompleted(flowOf(running), RUN, { timeoutMs: 300, intervalMs: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(result.message()).toMatch(/last failure so far: node charge, attempt 1: HANDLER_ERROR: first try/);
  });
});

describe('lastFailure', () => {
  it("falls back to the engine's reason when no result carries an error (a timeout)", () => {
    const timedOut = [
      message('events', {
        eventType: 'NODE_FAILED',
        payload: { nodeId: 'wait', attempt: 3, status: 'TIMEOUT', reason: 'no result within 500 ms' },
      }),
    ];
    expect(describeFailure(lastFailure(timedOut))).toBe(
      'node wait, attempt 3: no result within 500 ms; not dead-lettered',
    );
    expect(lastFailure([message('events', { eventType: 'RUN_COMPLETED' })])).toBeUndefined();
  });
});

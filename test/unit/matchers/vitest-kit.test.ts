import { processError } from '@vitest/utils/error';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../../harness/vitest/index.js';
import { buildDeadLetter, buildTask } from '../../../fixtures/builders/index.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { type TopicRole } from '../../../harness/vocabulary.js';
import { ConfigError } from '../../../harness/errors.js';
import {
  DEFAULT_MATCHER_TIMEOUT_MS,
  deadLettered,
  havePublished,
  matchesPartial,
  type RecordedFlow,
  retriedTimes,
} from '../../../harness/matchers/index.js';
import { FlowRecorder } from '../../../harness/recorder/recorder.js';
import type { RecordedMessage } from '../../../harness/recorder/types.js';

// The vitest kit without a broker: the matchers read a flow through the recorder's read methods, so a
// flow of fixed records stands in for a live FlowRecorder here (the same matchers run on a real broker
// in test/integration/vitest/matchers.test.ts).

const runId = 'run-kit-1';
const task = buildTask({ runId, nodeId: 'charge', attempt: 1 }, { seed: 7 });

function record(role: TopicRole, value: unknown, extra: Partial<RecordedMessage> = {}): RecordedMessage {
  return {
    topic: `gamelan.${role}`,
    role,
    partition: 0,
    offset: '0',
    key: runId,
    headers: {},
    timestamp: 0,
    value,
    rawBase64: null,
    receivedAt: 0,
    ...extra,
  };
}

/** A flow of fixed records; `later` arrive when `arrive()` is called (as a live recorder grows). */
function flowOf(records: RecordedMessage[], later: RecordedMessage[] = []) {
  const messages = [...records];
  const flow = {
    messages: vi.fn((filter?: (m: RecordedMessage) => boolean) => (filter ? messages.filter(filter) : [...messages])),
    ofRole: vi.fn((role: TopicRole) => messages.filter((m) => m.role === role)),
    byRun: vi.fn((id: string) => messages.filter((m) => (m.value as { runId?: string } | undefined)?.runId === id)),
  };
  return { flow: flow as unknown as FlowRecorder & typeof flow, arrive: () => messages.push(...later) };
}

/** What vitest prints under a failed assertion: its diff of the error's expected and actual (colours off). */
async function diffOf(assertion: Promise<unknown>): Promise<string> {
  const error = await assertion.then(
    () => expect.unreachable('the matcher passed'),
    (e: unknown) => e,
  );
  // eslint-disable-next-line no-control-regex
  return (processError(error).diff ?? '').replace(/\u001b\[[0-9;]*m/g, '');
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('asymmetric matchers in an expected message', () => {
  const { flow } = flowOf([record('tasks', task)]);

  it('pass anywhere in the message: top level, nested, inside arrays', async () => {
    await expect(flow).toHavePublished('tasks', {
      runId: expect.stringMatching(/^run-kit/),
      attempt: expect.any(Number),
      token: expect.any(String),
      context: expect.objectContaining({ currency: expect.any(String) }),
      createdAt: expect.stringContaining('2024-05-0'),
    });
    await expect(flow).toHavePublished('tasks', expect.objectContaining({ nodeId: 'charge' }), {
      key: expect.stringMatching(/^run-/),
    });
  });

  it('fail when one does not match, and the failure says what was expected and what the flow held', async () => {
    const assertion = expect(flow).toHavePublished(
      'tasks',
      { nodeId: 'charge', attempt: expect.any(String) },
      { timeoutMs: 0 },
    );
    await expect(assertion).rejects.toThrow(
      'expected a tasks message matching {"nodeId":"charge","attempt":"Any<String>"}; the flow holds 1 tasks message(s), the closest at gamelan.tasks-0@0',
    );
  });

  it('a failure carries vitest’s diff: only the expected fields, the matching matchers not shown as differences', async () => {
    const diff = await diffOf(
      expect(flow).toHavePublished(
        'tasks',
        { nodeId: 'charge', runId: expect.any(String), attempt: 2, context: { currency: /^[A-Z]{3}$/ } },
        { timeoutMs: 0 },
      ),
    );
    expect(diff).toMatchInlineSnapshot(`
      "- Expected
      + Received

      @@ -1,7 +1,7 @@
        {
      -   "attempt": 2,
      +   "attempt": 1,
          "context": {
            "currency": /^[A-Z]{3}$/,
          },
          "nodeId": "charge",
          "runId": "run-kit-1","
    `);
  });

  it('the plain functions honour any object with asymmetricMatch (no vitest needed)', async () => {
    const odd = { asymmetricMatch: (v: unknown) => typeof v === 'number' && v % 2 === 1 };
    expect(matchesPartial({ a: { b: [1, 'x'] } }, { a: { b: [odd, expect.any(String)] } })).toBe(true);
    expect(matchesPartial({ a: { b: [2, 'x'] } }, { a: { b: [odd, expect.any(String)] } })).toBe(false);
    expect(
      (await havePublished(flow, 'tasks', { attempt: odd, context: expect.objectContaining({}) }, { timeoutMs: 0 }))
        .pass,
    ).toBe(true);
    const failed = await havePublished(
      flow,
      'tasks',
      { attempt: expect.any(String), nodeId: 'charge' },
      { timeoutMs: 0 },
    );
    expect(failed.pass).toBe(false);
    expect(failed.actual).toEqual({ attempt: 1, nodeId: 'charge' }); // the closest message, cut to the expected fields
  });

  it('vitest’s custom equality testers are honoured (expect.addEqualityTesters)', async () => {
    const caseInsensitive = (a: unknown, b: unknown) =>
      typeof a === 'string' && typeof b === 'string' && b.startsWith('ci:')
        ? a.toLowerCase() === b.slice(3).toLowerCase()
        : undefined;
    expect.addEqualityTesters([caseInsensitive]);
    await expect(flow).toHavePublished('tasks', { nodeId: 'ci:CHARGE' }, { timeoutMs: 0 });
  });

  it('toHaveDeadLettered takes matchers in the original payload and for the reason', async () => {
    const letter = buildDeadLetter({ originalKey: runId }, { seed: 3 });
    const { flow: dlq } = flowOf([record('dlq', letter)]);
    await expect(dlq).toHaveDeadLettered(
      { attempt: expect.any(String) },
      { reason: expect.stringContaining('$.attempt') },
    );
    await expect(dlq).toHaveDeadLettered({ runId: expect.any(String) }, { reason: 'MESSAGE_INVALID' });
    const diff = await diffOf(
      expect(dlq).toHaveDeadLettered({ attempt: 'one' }, { reason: 'TASK_TIMED_OUT', timeoutMs: 0 }),
    );
    expect(diff).toContain('-   "reason": "TASK_TIMED_OUT"');
    expect(diff).toContain('+   "reason": "MESSAGE_INVALID: TaskMessage at $.attempt');
  });
});

describe('.not forms do not wait the timeout for nothing', () => {
  it('check the flow as it is now: one look, no wait (default timeout 10 s)', async () => {
    vi.useFakeTimers();
    const { flow } = flowOf([record('tasks', task)]);
    await expect(flow).not.toHavePublished('tasks', { nodeId: 'refund' });
    await expect(flow).not.toHaveCompletedRun(runId);
    expect(flow.ofRole).toHaveBeenCalledTimes(1);
    expect(flow.byRun).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0); // nothing was scheduled: it never waited
    expect(DEFAULT_MATCHER_TIMEOUT_MS).toBe(10_000);
  });

  it('with settleMs, watch that long and no longer', async () => {
    vi.useFakeTimers();
    const { flow } = flowOf([record('tasks', task)]);
    let settled = false;
    const assertion = expect(flow)
      .not.toHavePublished('tasks', { nodeId: 'refund' }, { settleMs: 500, intervalMs: 50 })
      .then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(450);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await assertion;
    expect(settled).toBe(true);
    expect(flow.ofRole.mock.calls.length).toBeGreaterThan(5); // it kept looking within the window
  });

  it('fail as soon as the thing happens within the window, not at its end', async () => {
    vi.useFakeTimers();
    const { flow, arrive } = flowOf([], [record('tasks', task)]);
    const assertion = expect(flow).not.toHavePublished(
      'tasks',
      { nodeId: 'charge' },
      { settleMs: 60_000, intervalMs: 50 },
    );
    const outcome = assertion.then(
      () => 'passed',
      (e: Error) => e.message,
    );
    await vi.advanceTimersByTimeAsync(200);
    arrive();
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toMatch(
      /^expected no tasks message matching \{"nodeId":"charge"\}, found one at gamelan.tasks-0@0/,
    );
  });

  it('the positive form still waits for the message to arrive', async () => {
    vi.useFakeTimers();
    const { flow, arrive } = flowOf([], [record('tasks', task)]);
    const assertion = expect(flow).toHavePublished('tasks', { nodeId: 'charge' });
    await vi.advanceTimersByTimeAsync(1_000);
    arrive();
    await vi.advanceTimersByTimeAsync(100);
    await assertion;
  });
});

describe('options objects, and the positional forms deprecated', () => {
  const dlq = { ...DEFAULT_CONFIG.dlq, maxRetries: 2, backoffMs: 100, backoffMultiplier: 2, maxBackoffMs: 10_000 };
  const attempts = [1, 2, 3].map((attempt, i) =>
    record('tasks', buildTask({ runId, nodeId: 'charge', attempt }, { seed: attempt }), {
      offset: String(i),
      timestamp: [0, 150, 600][i]!,
    }),
  );

  it('toHaveRetried({ runId, nodeId, retries, dlq })', async () => {
    const { flow } = flowOf(attempts);
    await expect(flow).toHaveRetried({ runId, nodeId: 'charge', retries: 2, dlq, timeoutMs: 0 });
    await expect(flow).not.toHaveRetried({ runId, nodeId: 'charge', retries: 3, dlq });
    // Too short a gap: the diff shows the gap that broke the backoff and nothing that did not.
    const tight = { ...dlq, backoffMs: 200 };
    const diff = await diffOf(
      expect(flow).toHaveRetried({ runId, nodeId: 'charge', retries: 2, dlq: tight, toleranceMs: 0, timeoutMs: 0 }),
    );
    expect(diff).toContain('-     >= 200');
    expect(diff).toContain('+     150');
    expect(diff).not.toContain('>= 400'); // the second gap (450 ms) kept its backoff
    expect((await retriedTimes(flow, { runId, nodeId: 'charge', retries: 2, dlq, timeoutMs: 0 })).pass).toBe(true);
  });

  it('a positional form of 0.1.0 (removed) is a TypeError that says what to write instead', async () => {
    const { flow } = flowOf([...attempts, record('dlq', buildDeadLetter({}, { seed: 3 }))]);
    // @ts-expect-error the removed positional form, as JavaScript callers may still write it
    await expect(expect(flow).toHaveRetried(runId, 'charge', 2, { dlq, timeoutMs: 0 })).rejects.toThrow(
      'toHaveRetried takes an options object, got the string "run-kit-1": write toHaveRetried({ runId, nodeId, retries, dlq, ...options })',
    );
    // @ts-expect-error a reason where the options go
    await expect(expect(flow).toHaveDeadLettered({ attempt: 'one' }, /attempt/)).rejects.toThrow(
      /toHaveDeadLettered takes \(original, options\), got a reason \(\/attempt\/\).*write toHaveDeadLettered\(original, \{ reason, \.\.\.options \}\)/,
    );
    // @ts-expect-error a reason where the options go
    expect(() => deadLettered(flow, { attempt: 'one' }, 'MESSAGE_INVALID', { timeoutMs: 0 })).toThrow(
      /deadLettered takes \(original, options\), got a reason \(MESSAGE_INVALID\)/,
    );
    // @ts-expect-error the removed positional form
    expect(() => retriedTimes(flow, runId, 'charge', 2, { dlq })).toThrow(
      /retriedTimes takes an options object, got the string/,
    );
    // The options forms read the same flow.
    expect((await deadLettered(flow, { attempt: 'one' }, { reason: 'MESSAGE_INVALID', timeoutMs: 0 })).pass).toBe(true);
  });
});

describe('FlowRecorder.start', () => {
  it('names a missing required option at once', async () => {
    const missingKafka = await FlowRecorder.start({ config: DEFAULT_CONFIG } as never).catch((e: unknown) => e);
    expect(missingKafka).toBeInstanceOf(ConfigError);
    expect(missingKafka).toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      details: { key: 'kafka' },
      message:
        "FlowRecorder.start: option \"kafka\" is missing; it must be a Kafka client (KafkaClient), e.g. FlowRecorder.start({ kafka: stack.broker.kafka('recorder'), config }), a workspace's kafka, or kafkajsClient({ brokers }).",
    });
    const kafka = { consumer: () => ({}), admin: () => ({}) };
    await expect(FlowRecorder.start({ kafka } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      details: { key: 'config', value: undefined },
    });
    await expect(FlowRecorder.start({ kafka, config: DEFAULT_CONFIG, decode: 'json' } as never)).rejects.toMatchObject({
      details: { key: 'decode' },
    });
  });
});

// The type of the read side the matchers need: a live FlowRecorder is one.
const _flowType: RecordedFlow = {} as FlowRecorder;
void _flowType;

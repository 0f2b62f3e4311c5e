import { describe, expect, it } from 'vitest';
import {
  ANOMALY_KINDS,
  checkHistory,
  historyFromJsonLines,
  renderHistoryReport,
} from '../../../harness/checker/index.js';
import { noAnomalies } from '../../../harness/matchers/index.js';
import type { RecordedMessage } from '../../../harness/recorder/types.js';
import { History } from './history.js';

const only = (report: ReturnType<typeof checkHistory>, kind: (typeof ANOMALY_KINDS)[number], n: number) => {
  const expected = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, k === kind ? n : 0]));
  expect(report.counts).toEqual(expected);
  expect(report.ok).toBe(false);
};

describe('checkHistory', () => {
  it('finds nothing in a clean history, including a retry, a redelivered result and a re-sent event', () => {
    const h = new History().cleanRun('r1', ['a', 'b']);
    // r2: attempt 1 fails, attempt 2 completes; the executor's result for attempt 2 arrives twice.
    h.event('r2', 'RUN_CREATED')
      .started('r2', 'a', 1)
      .task('r2', 'a', 1)
      .result('r2', 'a', 1)
      .failed('r2', 'a', 1, 'FAILURE');
    h.event('r2', 'NODE_RETRY_SCHEDULED', { nodeId: 'a', attempt: 2 });
    h.started('r2', 'a', 2).task('r2', 'a', 2).result('r2', 'a', 2).result('r2', 'a', 2).completed('r2', 'a', 2);
    h.event('r2', 'RUN_COMPLETED', {}, 'end-r2').event('r2', 'RUN_COMPLETED', {}, 'end-r2'); // the producer wrote it twice
    const report = checkHistory(h.messages);
    expect(report.counts).toEqual({ lost: 0, duplicated: 0, lateAccepted: 0, outOfOrder: 0, unexplained: 0 });
    expect(report.ok).toBe(true);
    expect(report.stats).toEqual({
      runs: 2,
      runsFinished: 2,
      tasks: 4,
      resentTasks: 0,
      resentEvents: 1,
      results: 5,
      redeliveredResults: 1,
      deadLetters: 0,
      ignored: 0,
    });
  });

  it('lost: a task sent, never answered, whose run never finished', () => {
    const h = new History().cleanRun('done');
    h.event('open', 'RUN_CREATED').started('open', 'a').task('open', 'a');
    // Unanswered but explained: its run failed, or the task was dead-lettered.
    h.event('failed', 'RUN_CREATED')
      .started('failed', 'a')
      .task('failed', 'a')
      .failed('failed', 'a', 1, 'TIMEOUT')
      .event('failed', 'RUN_FAILED');
    h.event('dlq', 'RUN_CREATED').started('dlq', 'a').task('dlq', 'a');
    h.add('dlq', {
      reason: 'HANDLER_FAILED',
      payload: JSON.stringify({ taskId: 'dlq:a:1', runId: 'dlq' }),
      payloadEncoding: 'utf-8',
    });
    const report = checkHistory(h.messages);
    only(report, 'lost', 1);
    expect(report.examples.lost[0]).toMatchObject({
      kind: 'lost',
      runId: 'open',
      taskId: 'open:a:1',
      records: ['gamelan.tasks-0@1'],
    });
    expect(report.examples.lost[0]!.detail).toContain('run open never finished');
    expect(report.stats.deadLetters).toBe(1);
  });

  it('lost: says when the engine had timed the attempt out', () => {
    const h = new History().started('r', 'a').task('r', 'a').failed('r', 'a', 1, 'TIMEOUT');
    expect(checkHistory(h.messages).examples.lost[0]!.detail).toContain('timed this attempt out');
  });

  it('duplicated: one attempt accepted twice', () => {
    const h = new History()
      .started('r', 'a')
      .task('r', 'a')
      .result('r', 'a')
      .result('r', 'a')
      .completed('r', 'a')
      .completed('r', 'a')
      .event('r', 'RUN_COMPLETED');
    const report = checkHistory(h.messages);
    only(report, 'duplicated', 1);
    expect(report.examples.duplicated[0]).toMatchObject({
      taskId: 'r:a:1',
      detail: 'accepted 2× (completed, completed)',
    });
    expect(report.examples.duplicated[0]!.records).toHaveLength(2);
  });

  it('duplicated: a node completed by two attempts', () => {
    const h = new History().started('r', 'a', 1).task('r', 'a', 1).result('r', 'a', 1).completed('r', 'a', 1);
    h.started('r', 'a', 2).task('r', 'a', 2).result('r', 'a', 2).completed('r', 'a', 2).event('r', 'RUN_COMPLETED');
    const report = checkHistory(h.messages);
    only(report, 'duplicated', 1);
    expect(report.examples.duplicated[0]!.detail).toBe('node r/a completed 2× across attempts r:a:1, r:a:2');
  });

  it('duplicated: completed, then failed by a timeout', () => {
    const h = new History()
      .started('r', 'a')
      .task('r', 'a')
      .result('r', 'a')
      .completed('r', 'a')
      .failed('r', 'a', 1, 'TIMEOUT')
      .event('r', 'RUN_COMPLETED');
    const report = checkHistory(h.messages);
    only(report, 'duplicated', 1);
    expect(report.examples.duplicated[0]!.detail).toBe('settled twice: completed then timeout');
  });

  it('lateAccepted: a result accepted after its attempt timed out', () => {
    const h = new History()
      .started('r', 'a')
      .task('r', 'a')
      .failed('r', 'a', 1, 'TIMEOUT')
      .result('r', 'a')
      .completed('r', 'a')
      .event('r', 'RUN_COMPLETED');
    const report = checkHistory(h.messages);
    only(report, 'lateAccepted', 1);
    expect(report.examples.lateAccepted[0]).toMatchObject({
      taskId: 'r:a:1',
      detail: 'timed out, then a completed result was accepted',
    });
    expect(report.examples.lateAccepted[0]!.records).toEqual(['gamelan.events-0@1', 'gamelan.events-0@2']);
  });

  it('unexplained: results for a task never sent or with a token not sent, and an engine completion of a task never sent', () => {
    const h = new History().cleanRun('r');
    h.result('r', 'ghost').result('r', 'a', 1, 'forged');
    h.event('r', 'NODE_COMPLETED', { nodeId: 'phantom', attempt: 1 }, 'x1');
    const report = checkHistory(h.messages, { orderedByRun: [] }); // the completion after RUN_COMPLETED is an order anomaly too
    only(report, 'unexplained', 3);
    expect(report.examples.unexplained.map((a) => a.detail)).toEqual([
      '1 result(s) for a task never sent',
      '1 result(s) whose token is not the one sent',
      'the engine completed a task never sent',
    ]);
  });

  describe('outOfOrder (spec dialect: per run, on tasks, results and events)', () => {
    it("a run's records spread over two partitions", () => {
      const h = new History().cleanRun('r');
      h.add(
        'results',
        { taskId: 'r:a:1', runId: 'r', nodeId: 'a', attempt: 1, token: 'tok', status: 'SUCCESS' },
        { partition: 1 },
      );
      const report = checkHistory(h.messages);
      only(report, 'outOfOrder', 1);
      expect(report.examples.outOfOrder[0]!.detail).toBe(
        "run r's results records are spread over partitions 0, 1, so their order is lost",
      );
    });

    it('a record published earlier sits later in the log', () => {
      const h = new History()
        .event('r', 'RUN_CREATED')
        .started('r', 'a')
        .task('r', 'a', 1, 'tok', { timestamp: 5_000 })
        .task('r', 'b', 1, 'tok', { timestamp: 4_000 });
      h.result('r', 'a').result('r', 'b').event('r', 'RUN_COMPLETED');
      const report = checkHistory(h.messages);
      only(report, 'outOfOrder', 1);
      expect(report.examples.outOfOrder[0]).toMatchObject({
        taskId: 'r:b:1',
        detail: 'tasks: a record published at 4000 sits after one published at 5000 by the same engine',
      });
    });

    it("results of one run from two executors may land in either order; one executor's may not", () => {
      const result = (nodeId: string, executorId: string | undefined, timestamp: number) => ({
        value: {
          taskId: `r:${nodeId}:1`,
          runId: 'r',
          nodeId,
          attempt: 1,
          token: 'tok',
          status: 'SUCCESS',
          ...(executorId ? { executorId } : {}),
        },
        at: { timestamp },
      });
      const run = (results: ReturnType<typeof result>[]) => {
        const h = new History().event('r', 'RUN_CREATED');
        for (const r of results) h.started('r', r.value.nodeId).task('r', r.value.nodeId);
        for (const r of results) h.add('results', r.value, r.at);
        for (const r of results) h.completed('r', r.value.nodeId);
        return checkHistory(h.event('r', 'RUN_COMPLETED').messages);
      };
      // e-2's send was retried: its earlier-stamped result landed after e-1's. Kafka orders per producer only.
      expect(run([result('a', 'e-1', 5_000), result('b', 'e-2', 4_000)]).ok).toBe(true);
      // Writers unknown (no executorId): nothing to compare.
      expect(run([result('a', undefined, 5_000), result('b', undefined, 4_000)]).ok).toBe(true);
      // One executor's own records out of publish order: that is an anomaly.
      const same = run([result('a', 'e-1', 5_000), result('b', 'e-2', 4_500), result('c', 'e-1', 4_000)]);
      only(same, 'outOfOrder', 1);
      expect(same.examples.outOfOrder[0]!.detail).toBe(
        'results: a record published at 4000 sits after one published at 5000 by the same executor e-1',
      );
    });

    it('a later attempt before an earlier one, a completion before its start, an event after the end', () => {
      const h = new History().task('r', 'a', 2).task('r', 'a', 1).result('r', 'a', 2);
      h.completed('r', 'a', 2)
        .started('r', 'a', 2)
        .event('r', 'RUN_COMPLETED')
        .event('r', 'NODE_STARTED', { nodeId: 'b', attempt: 1 });
      const report = checkHistory(h.messages);
      expect(report.counts.outOfOrder).toBe(3);
      expect(report.examples.outOfOrder.map((a) => a.detail)).toEqual([
        'tasks: attempt 1 of node a sits after attempt 2',
        'events: NODE_COMPLETED of r:a:2 before its NODE_STARTED',
        'events: NODE_STARTED after the run ended with RUN_COMPLETED',
      ]);
      expect(checkHistory(h.messages, { orderedByRun: [] }).ok).toBe(true); // a dialect that promises no order
      expect(checkHistory(h.messages, { orderedByRun: ['tasks'] }).counts.outOfOrder).toBe(1);
    });
  });

  it('leaves out undecodable records and those `ignore` names', () => {
    const h = new History().cleanRun('r');
    h.messages.push({ ...h.messages[0]!, role: 'results', offset: '99', value: undefined, decodeError: 'not JSON' });
    h.result('r', 'planted', 1, 'poison');
    const report = checkHistory(h.messages, {
      ignore: (m) => (m.value as { token?: string } | undefined)?.token === 'poison',
    });
    expect(report.ok).toBe(true);
    expect(report.stats.ignored).toBe(2);
  });

  it('keeps maxExamples examples per kind but counts them all', () => {
    const h = new History();
    for (let i = 0; i < 15; i++) h.task(`r${i}`, 'a');
    const report = checkHistory(h.messages, { maxExamples: 3 });
    expect(report.counts.lost).toBe(15);
    expect(report.examples.lost).toHaveLength(3);
  });
});

describe('renderHistoryReport', () => {
  it('prints one summary row per kind, a table of examples per kind found, and the figures', () => {
    const h = new History().cleanRun('r');
    h.result('r', 'ghost');
    for (let i = 0; i < 12; i++) h.task(`open${i}`, 'a');
    const text = renderHistoryReport(checkHistory(h.messages)).replace(/\u001b\[\d+m/g, '');
    for (const title of [
      'lost (sent, never answered, run never finished)',
      'duplicated',
      'answered after its attempt timed out',
      'out of order',
      'unexplained',
    ])
      expect(text).toContain(title);
    expect(text).toContain('lost (sent, never answered, run never finished): 12 (first 10 shown)');
    expect(text).toContain('unexplained (a result for no task sent): 1');
    expect(text).toContain('open0:a:1');
    expect(text).toContain('gamelan.results-0@1');
    expect(text).toMatch(/13 runs \(1 finished\), 13 tasks .* anomalies found$/);
  });
});

describe('noAnomalies / toHaveNoAnomalies', () => {
  it('passes on a clean history and fails with the counts and tables otherwise', async () => {
    const clean = new History().cleanRun('r').messages;
    expect((await noAnomalies(clean)).pass).toBe(true);
    const dirty = new History().cleanRun('r').result('r', 'ghost').messages;
    const result = await noAnomalies(dirty);
    expect(result.pass).toBe(false);
    expect(result.message()).toContain('found lost 0, duplicated 0, lateAccepted 0, outOfOrder 0, unexplained 1');
    expect(result.message()).toContain('r:ghost:1');
    expect(result.actual).toEqual({ lost: 0, duplicated: 0, lateAccepted: 0, outOfOrder: 0, unexplained: 1 });
  });

  it('takes a report, and re-checks a live source until its answers arrive', async () => {
    expect((await noAnomalies(checkHistory(new History().task('r', 'a').messages))).pass).toBe(false);
    const h = new History().started('r', 'a').task('r', 'a');
    const live = { messages: (): readonly RecordedMessage[] => h.messages };
    setTimeout(() => h.result('r', 'a').completed('r', 'a').event('r', 'RUN_COMPLETED'), 50);
    expect((await noAnomalies(live, { timeoutMs: 2_000, intervalMs: 10 })).pass).toBe(true);
  });
});

describe('historyFromJsonLines', () => {
  it('reads back a flow written as JSON lines and checks it the same way', () => {
    const h = new History().cleanRun('r').task('open', 'a');
    const text = `${h.messages.map((m) => JSON.stringify(m)).join('\n')}\n`;
    const back = historyFromJsonLines(text);
    expect(back).toEqual(h.messages);
    expect(checkHistory(back).counts).toEqual(checkHistory(h.messages).counts);
  });

  it('names the line that is not a recorded message', () => {
    expect(() => historyFromJsonLines('{"topic":"t","role":"tasks","offset":"0"}\n{"nope":1}\n', 'flow.jsonl')).toThrow(
      'flow.jsonl:2: not a recorded message',
    );
    expect(() => historyFromJsonLines('{oops\n', 'flow.jsonl')).toThrow(/^flow\.jsonl:1: /);
  });
});

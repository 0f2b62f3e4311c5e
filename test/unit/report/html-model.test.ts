import { describe, expect, it } from 'vitest';
import { buildPageModel, normalizeAnomalies, renderHtmlReport } from '../../../harness/report/html/index.js';
import { buildSequence } from '../../../harness/report/html/sequence.js';
import { demoRecording, GROUP, largeRecording, T0 } from './flow-fixture.js';

const scenario = (over: object = {}) => ({
  name: 'retries to DLQ',
  description: 'demo',
  status: 'failed' as const,
  durationMs: 1234,
  steps: [
    { name: 'start', status: 'passed' as const, durationMs: 10 },
    { name: 'check', status: 'failed' as const, durationMs: 20, error: 'expected x' },
  ],
  measurements: { gapsMs: [100, 200] },
  recording: demoRecording(),
  ...over,
});

describe('HTML report model', () => {
  it('the sequence has the engine, the partitions used, each executor and who dead-lettered', () => {
    const model = buildPageModel({ title: 't', source: 'run', scenarios: [scenario()] });
    const seq = model.scenarios[0]!.sequence;
    expect(seq.participants.map((p) => p.label)).toEqual([
      'engine',
      'tasks p0',
      'tasks p2',
      'executor-a',
      'executor-b',
      'results p0',
      'results p1',
      'results p2',
      'events p0',
      'events p2',
      'status p1',
      'dlq p2',
      'unknown producer',
    ]);
    expect(seq.runs).toEqual(['r-ok', 'r-dlq']);
    const labelled = seq.arrows.map(
      (a) => `${seq.participants[a[1]]!.label} → ${seq.participants[a[2]]!.label}: ${a[4]}`,
    );
    expect(labelled.slice(0, 4)).toEqual([
      'engine → events p0: RUN_CREATED',
      'engine → tasks p0: task charge#1',
      'tasks p0 → executor-a: takes charge#1',
      'executor-a → results p0: SUCCESS charge#1',
    ]);
    expect(labelled).toContain('engine → dlq p2: dead letter HANDLER_FAILED');
    expect(labelled).toContain('unknown producer → results p1: MESSAGE_DECODE_FAILED $ not JSON');
    // Times are relative to the first record and sorted; the delivery comes at completedAt less executionTime.
    const times = seq.arrows.map((a) => a[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(seq.arrows[2]![0]).toBe(30);
    expect(seq.sampled).toBeUndefined();
  });

  it('retry gaps are the gaps between the task records of a node, with how the node ended', () => {
    const s = buildPageModel({ title: 't', source: 'run', scenarios: [scenario()] }).scenarios[0]!;
    expect(s.retries).toEqual({
      total: 1,
      rows: [{ runId: 'r-dlq', nodeId: 'charge', attempts: [1, 2, 3], gapsMs: [100, 200], outcome: 'dead-lettered' }],
    });
  });

  it('dead letters carry their origin, reason and all their headers', () => {
    const s = buildPageModel({ title: 't', source: 'run', scenarios: [scenario()] }).scenarios[0]!;
    expect(s.deadLetters.total).toBe(1);
    expect(s.deadLetters.rows[0]).toMatchObject({
      t: 460,
      reason: 'HANDLER_FAILED',
      errorClass: 'TaskFailedError',
      runId: 'r-dlq',
      origin: expect.stringMatching(/workflow-tasks-2@2$/),
      headers: [
        ['kafka_dlt-exception-fqcn', 'TaskFailedError'],
        ['kafka_dlt-original-topic', expect.stringContaining('workflow-tasks')],
      ],
    });
  });

  it('membership becomes lanes of ownership segments per partition and the state changes', () => {
    const [m] = buildPageModel({ title: 't', source: 'run', scenarios: [scenario()] }).scenarios[0]!.membership;
    expect(m!.groupId).toBe(GROUP);
    expect(m!.members.map((x) => x.label)).toEqual(['executor-a 1111aaaa', 'executor-b 2222bbbb']);
    expect(m!.lanes.map((l) => l.label)).toEqual(['tasks p0', 'tasks p1', 'tasks p2']);
    // p2 moves from member 0 to member 1 at the third snapshot; p0 stays with member 0 throughout (one segment).
    expect(m!.lanes[2]!.segments).toEqual([
      [0, 180, 0],
      [180, 500, 1],
    ]);
    // The last snapshot holds until the recording's last moment (the last lag sample, at +500 ms).
    expect(m!.lanes[0]!.segments).toEqual([[0, 500, 0]]);
    expect(m!.states).toEqual([
      [0, 'Stable', 1],
      [120, 'PreparingRebalance', 1],
      [180, 'Stable', 2],
    ]);
  });

  it('a watched group nobody joined has no timeline', () => {
    const recording = demoRecording();
    const idle = { at: T0 + 50, groupId: 'idle-group', state: 'Dead', members: [] };
    const model = buildPageModel({
      title: 't',
      source: 'run',
      scenarios: [scenario({ recording: { ...recording, groups: [...recording.groups, idle] } })],
    });
    expect(model.scenarios[0]!.membership.map((m) => m.groupId)).toEqual([GROUP]);
  });

  it('lag over time: seconds since the first moment, a total and one series per partition', () => {
    const [chart] = buildPageModel({ title: 't', source: 'run', scenarios: [scenario()] }).scenarios[0]!.lag;
    expect(chart!.x).toEqual([0, 0.1, 0.2, 0.3, 0.5]);
    expect(chart!.series.map((s) => s.label)).toEqual(['total', 'p0', 'p1', 'p2']);
    expect(chart!.series[0]!.values).toEqual([0, 1, 1, 2, 0]);
    expect(chart!.peak).toBe(2);
  });

  it('summary counts, anchors unique per name, a scenario without recording says so', () => {
    const model = buildPageModel({
      title: 't',
      source: 'run',
      scenarios: [scenario(), scenario({ status: 'passed', recording: undefined })],
    });
    expect([model.passed, model.failed]).toEqual([1, 1]);
    expect(model.scenarios.map((s) => s.id)).toEqual(['scenario-retries-to-dlq', 'scenario-retries-to-dlq-2']);
    expect(model.scenarios[1]!.recorded).toBe(false);
    expect(model.scenarios[1]!.sequence.arrows).toEqual([]);
    expect(model.scenarios[0]!.t0).toBe(T0);
  });

  it('a large flow keeps whole runs up to the limit and says how many', () => {
    const big = largeRecording(1000, 10); // 20 000 records, 30 000 arrows
    const seq = buildSequence(big.messages, T0, 3_000);
    expect(seq.totalArrows).toBe(30_000);
    expect(seq.arrows.length).toBe(3_000);
    expect(seq.sampled).toEqual({ runsKept: 100, runsTotal: 1000 });
    expect(seq.runs).toHaveLength(100);
    // Every kept run is whole: 10 tasks, 10 deliveries, 10 results.
    const perRun = new Map<number, number>();
    for (const a of seq.arrows) perRun.set(a[5], (perRun.get(a[5]) ?? 0) + 1);
    expect([...perRun.values()].every((n) => n === 30)).toBe(true);
  });

  it('100 000 records render into one page within the limits', () => {
    const big = largeRecording(5000, 10); // 100 000 records
    const html = renderHtmlReport({ title: 'big', source: 'recording', scenarios: [scenario({ recording: big })] });
    expect(html).toContain('Large flow: 150,000 messages; this page keeps 19,980 of them');
    expect(html.length).toBeLessThan(5_000_000);
  }, 120_000);
});

describe('anomalies input', () => {
  it('reads an array of anomalies', () => {
    const section = normalizeAnomalies([
      { kind: 'lost', runId: 'r1', taskId: 'r1:a:1', detail: 'never answered', records: ['t-0@1'] },
    ]);
    expect(section).toEqual({
      total: 1,
      counts: [{ kind: 'lost', title: 'lost', count: 1 }],
      listed: [{ kind: 'lost', runId: 'r1', taskId: 'r1:a:1', detail: 'never answered', records: ['t-0@1'] }],
    });
  });

  it("reads a checker report's counts and examples by kind, with titles", () => {
    const section = normalizeAnomalies(
      {
        ok: false,
        counts: { lost: 3, duplicated: 0 },
        examples: { lost: [{ detail: 'x', records: [{ topic: 't', partition: 1, offset: '4' }] }], duplicated: [] },
      },
      300,
      { lost: 'lost tasks' },
    );
    expect(section!.total).toBe(3);
    expect(section!.counts).toEqual([
      { kind: 'lost', title: 'lost tasks', count: 3 },
      { kind: 'duplicated', title: 'duplicated', count: 0 },
    ]);
    expect(section!.listed).toEqual([{ kind: 'lost', detail: 'x', records: ['t-1@4'] }]);
  });

  it('is tolerant: odd items are shown as text, unknown shapes give undefined', () => {
    expect(normalizeAnomalies({ anomalies: ['weird', { type: 'gap', message: 'm' }] })!.listed).toEqual([
      { kind: 'anomaly', detail: 'weird', records: [] },
      { kind: 'gap', detail: 'm', records: [] },
    ]);
    expect(normalizeAnomalies(null)).toBeUndefined();
    expect(normalizeAnomalies(42)).toBeUndefined();
    expect(normalizeAnomalies([])).toEqual({ total: 0, counts: [], listed: [] });
  });
});

describe('the page', () => {
  it('is one file: uPlot, script and model inlined, no external reference, text escaped', () => {
    const html = renderHtmlReport({
      title: 'a <title>',
      source: 'run',
      scenarios: [scenario({ anomalies: [{ kind: 'lost', detail: '</script><b>x</b>' }] })],
    });
    expect(html).toContain('a &lt;title&gt;');
    expect(html).toMatch(/uPlot/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?https?:/);
    // The cause's markup and the anomaly's </script> are text, not markup.
    expect(html).toContain('gateway answered 503 &lt;b&gt;three&lt;/b&gt; times');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain('href="#scenario-retries-to-dlq"');
  });
});

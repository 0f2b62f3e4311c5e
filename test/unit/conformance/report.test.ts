import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildTask } from '../../../fixtures/builders/index.js';
import {
  conformanceReport,
  parseSince,
  renderConformance,
  TopicConformanceBuilder,
} from '../../../harness/conformance/index.js';
import { ConfigError } from '../../../harness/errors.js';
import { encodeRecord, upstreamDialect } from '../../../harness/protocol/index.js';

// Colours are on where the terminal or CI asks for them (picocolors turns them on under CI=true).
const plain = (text: string) => stripVTControlCharacters(text);

describe('a topic conformance report', () => {
  const task = buildTask({}, { seed: 21 });
  const spec = { ...encodeRecord('tasks', task), partition: 0, offset: '0' };
  const upstream = { ...upstreamDialect.encode('tasks', task).record, partition: 1, offset: '0' };
  const broken = { key: 'run-z', value: Buffer.from('{"runId":"run-z"}'), partition: 2, offset: '5' };

  it('counts records by dialect and groups deviations from the chosen one by rule and field, one example each', () => {
    const builder = new TopicConformanceBuilder('tasks', 'gamelan.workflow-tasks', 'spec');
    for (const record of [spec, upstream, broken, { ...broken, offset: '6' }]) builder.add(record);
    const topic = builder.build();
    expect(topic).toMatchObject({ records: 4, conforming: 1, dialects: { spec: 1, upstream: 1, neither: 2 } });
    const required = topic.deviations.find((d) => d.rule === 'field.required' && d.field === '$.nodeId');
    expect(required).toMatchObject({
      count: 2,
      example: { partition: 2, offset: '5', key: 'run-z', value: '{"runId":"run-z"}' },
    });
    expect(topic.deviations.find((d) => d.rule === 'field.name' && d.field === '$.executionToken')).toMatchObject({
      count: 1,
      example: { partition: 1 },
    });
    // Most frequent first.
    expect(topic.deviations[0]!.count).toBeGreaterThanOrEqual(topic.deviations.at(-1)!.count);
  });

  it('the same records against upstream: the README record is the deviation now', () => {
    const builder = new TopicConformanceBuilder('tasks', 'workflow-tasks', 'upstream');
    builder.add(spec);
    builder.add(upstream);
    const topic = builder.build();
    expect(topic.conforming).toBe(1);
    expect(topic.deviations).toContainEqual(
      expect.objectContaining({ rule: 'field.required', field: '$.executionToken', count: 1 }),
    );
  });

  it('the report conforms only when every record does, and renders per topic with a verdict', () => {
    const good = new TopicConformanceBuilder('tasks', 't', 'spec');
    good.add(spec);
    const missing = new TopicConformanceBuilder('dlq', 'd', 'spec').build(false);
    const ok = conformanceReport('spec', ['127.0.0.1:9092'], undefined, [good.build(), missing]);
    expect(ok).toMatchObject({ conforms: true, records: 1, nonConforming: 0 });
    expect(plain(renderConformance(ok))).toMatch(/d \(dlq\): topic does not exist/);
    const bad = new TopicConformanceBuilder('tasks', 't', 'spec');
    bad.add(broken);
    const report = conformanceReport('spec', ['127.0.0.1:9092'], undefined, [bad.build()]);
    expect(report).toMatchObject({ conforms: false, nonConforming: 1 });
    expect(plain(renderConformance(report))).toMatch(/1 of 1 record\(s\) do not conform to the spec dialect/);
  });
});

describe('a check that read nothing', () => {
  const nothing = () => [
    new TopicConformanceBuilder('tasks', 'gamelan.workflow-tasks', 'spec').build(false),
    new TopicConformanceBuilder('results', 'gamelan.task-results', 'spec').build(),
  ];
  const elsewhere = {
    dialect: 'upstream' as const,
    topics: [
      { role: 'tasks' as const, topic: 'workflow-tasks', records: 3 },
      { role: 'results' as const, topic: 'workflow-results', records: 0 },
    ],
  };

  it('is "nothing checked", not a pass: names the other dialect\'s topics with counts and the command that checks them', () => {
    const report = conformanceReport('spec', ['127.0.0.1:9092'], undefined, nothing(), { elsewhere });
    expect(report).toMatchObject({ verdict: 'nothing-checked', conforms: false, records: 0 });
    expect(report.elsewhere?.command).toBe(
      'gamelan-harness conformance --dialect upstream --bootstrap-servers 127.0.0.1:9092',
    );
    const text = plain(renderConformance(report));
    expect(text).toMatch(/Nothing checked: no record was read from the spec dialect's topics/);
    expect(text).toMatch(/workflow-tasks \(tasks\): 3 record\(s\)/);
    expect(text).toMatch(/workflow-results \(results\): 0 record\(s\)/);
    expect(text).toMatch(
      /To check them: gamelan-harness conformance --dialect upstream --bootstrap-servers 127\.0\.0\.1:9092/,
    );
    expect(text).not.toMatch(/All 0 record\(s\) conform/);
  });

  it("says so when the other dialect's topics are absent too, and offers no command that would read nothing again", () => {
    const text = plain(
      renderConformance(
        conformanceReport('upstream', ['b:9092'], undefined, nothing(), { elsewhere: { dialect: 'spec', topics: [] } }),
      ),
    );
    expect(text).toMatch(/No topic under the spec dialect's names exists on this cluster either/);
    expect(text).not.toMatch(/To check them/);
  });

  it('--allow-empty makes an empty cluster a pass, and says nothing was checked', () => {
    const report = conformanceReport('spec', ['127.0.0.1:9092'], undefined, nothing(), { allowEmpty: true });
    expect(report).toMatchObject({ verdict: 'empty-allowed', conforms: true });
    expect(plain(renderConformance(report))).toMatch(
      /No record read: nothing checked against the spec dialect \(allowed by --allow-empty\)/,
    );
  });

  it('records read decide the verdict whatever --allow-empty says', () => {
    const bad = new TopicConformanceBuilder('tasks', 't', 'spec');
    bad.add({ key: 'run-z', value: Buffer.from('{}'), partition: 0, offset: '0' });
    expect(conformanceReport('spec', ['b:9092'], undefined, [bad.build()], { allowEmpty: true })).toMatchObject({
      verdict: 'does-not-conform',
      conforms: false,
    });
  });
});

describe('--since', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it.each([
    ['2024-05-01T10:00:00Z', Date.parse('2024-05-01T10:00:00Z')],
    ['2024-05-01T12:00:00+02:00', Date.parse('2024-05-01T10:00:00Z')],
    ['15m', now - 15 * 60_000],
    ['2h', now - 2 * 3_600_000],
    ['1d', now - 86_400_000],
    ['500ms', now - 500],
  ])('%s', (text, expected) => {
    expect(parseSince(text, now)).toBe(expected);
  });
  it('anything else is CONFIG_INVALID_VALUE saying what is allowed', () => {
    expect(() => parseSince('yesterday')).toThrow(ConfigError);
    expect(() => parseSince('yesterday')).toThrow(/ISO-8601 instant.*15m/);
  });
});

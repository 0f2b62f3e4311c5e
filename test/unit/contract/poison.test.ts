import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ObservedRecord } from '../../../harness/contract/check.js';
import { droppedFinding, type PoisonEvidence, poisonFates } from '../../../harness/contract/poison.js';
import { renderContractSummary, writeContractJson, writeContractJUnit } from '../../../harness/contract/report.js';
import type { ContractReport } from '../../../harness/contract/run.js';
import type { SentRecord } from '../../../harness/contract/send.js';
import { deadLetterRecord } from '../../../harness/protocol/dead-letter.js';
import { upstreamDialect } from '../../../harness/protocol/dialects/upstream/index.js';
import { renderHtmlReport, reportInputFromContract } from '../../../harness/report/html/index.js';

// Issue #21: an unreadable record the executor commits past without a dead letter or an answer used to pass in
// silence. Each poison record now has a fate; "dropped" only when the executor provably got past it and the
// dead-letter and results topics were read to their end.

const KEY = 'run-0001-abc';
const TASK = { taskId: `${KEY}:charge-card:1`, runId: KEY, nodeId: 'charge-card', attempt: 1 };
const base = { case: 'poison/before-task', topic: 'c-x-tasks', partition: 2, key: KEY };
const sent: SentRecord[] = [
  {
    ...base,
    kind: 'task',
    name: 'run-0000-abc:a:1',
    partition: 0,
    offset: '0',
    key: 'run-0000-abc',
    value: '{}',
    case: 'golden/full',
  },
  { ...base, kind: 'poison', name: 'not-json', offset: '10', value: 'this is not JSON {' },
  { ...base, kind: 'poison', name: 'not-a-task', offset: '11', value: '{"hello":"world","attempt":"one"}' },
  { ...base, kind: 'poison', name: 'tombstone', offset: '12', value: null },
  { ...base, kind: 'task', name: TASK.taskId, offset: '13', value: JSON.stringify(TASK) },
];
const [, notJson, notATask, tombstone, task] = sent as [SentRecord, SentRecord, SentRecord, SentRecord, SentRecord];

let dlqOffset = 0;
const observed = (r: {
  key: string | Buffer | null;
  value: Buffer | string | null;
  headers?: Record<string, unknown>;
}): ObservedRecord => ({
  partition: 0,
  offset: String(dlqOffset++),
  key: r.key === null ? null : String(r.key),
  value: r.value === null ? null : Buffer.from(r.value),
  headers: Object.fromEntries(
    Object.entries(r.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(String(v))]),
  ),
  timestamp: '1767225600000',
});
const failed = (s: SentRecord) => ({
  topic: s.topic,
  partition: s.partition,
  offset: s.offset,
  timestamp: 1767225600000,
  key: s.key,
  value: s.value,
});
const cause = { reason: 'MESSAGE_DECODE_FAILED', errorClass: 'ProtocolError', message: 'not a task' };
const spring = (s: SentRecord) => observed(deadLetterRecord(failed(s), cause));
const javaJson = (s: SentRecord) => observed(upstreamDialect.deadLetter(failed(s), { ...cause }));
const smallRye = (s: SentRecord) =>
  observed({
    key: s.key,
    value: s.value,
    headers: {
      'dead-letter-topic': s.topic,
      'dead-letter-partition': String(s.partition),
      'dead-letter-offset': s.offset,
      'dead-letter-reason': 'nack',
    },
  });
const result = (json: object, key: string | null = KEY): ObservedRecord => ({
  partition: 1,
  offset: '7',
  key,
  value: Buffer.from(JSON.stringify(json)),
});

const evidence = (over: Partial<PoisonEvidence> = {}): PoisonEvidence => ({
  sent,
  deadLetters: [],
  results: [],
  dlqTopic: 'c-x-dlq',
  committed: new Map(),
  readToEnd: true,
  ...over,
});
const fates = (over: Partial<PoisonEvidence>) =>
  poisonFates(evidence(over)).map((p) => `${p.name}@${p.offset}: ${p.fate}`);

describe('what became of each unreadable record', () => {
  it('dead-lettered in any of the three formats: Spring kafka_dlt-* headers, the Java DeadLetterMessage, SmallRye dead-letter-* headers', () => {
    const reports = poisonFates(
      evidence({
        deadLetters: [spring(notJson), javaJson(notATask), smallRye(tombstone)],
        committed: new Map([[2, 14n]]),
      }),
    );
    expect(reports.map((p) => p.fate)).toEqual(['dead-lettered', 'dead-lettered', 'dead-lettered']);
    expect(reports[0]!.detail).toContain('Spring kafka_dlt-* headers');
    expect(reports[1]!.detail).toContain('a DeadLetterMessage');
    expect(reports[2]!.detail).toContain('SmallRye dead-letter-* headers');
  });

  it('consumed past (committed offset beyond it) with no trace: dropped, each with its topic, partition and offset', () => {
    const reports = poisonFates(evidence({ committed: new Map([[2, 14n]]) }));
    expect(reports.map((p) => [p.name, p.fate, p.topic, p.partition, p.offset])).toEqual([
      ['not-json', 'dropped', 'c-x-tasks', 2, '10'],
      ['not-a-task', 'dropped', 'c-x-tasks', 2, '11'],
      ['tombstone', 'dropped', 'c-x-tasks', 2, '12'],
    ]);
    expect(reports[0]!.detail).toBe(
      'the executor got past it (its committed offset on partition 2 is 14) and wrote no dead letter to c-x-dlq and no answer',
    );
  });

  it('without a commit, an answered task after it on its partition shows the executor got past it', () => {
    const reports = poisonFates(evidence({ results: [result(TASK)] }));
    expect(reports.map((p) => p.fate)).toEqual(['dropped', 'dropped', 'dropped']);
    expect(reports[2]!.detail).toContain('the task after it with its key, at offset 13, was answered');
  });

  it('a later task with another key on the same partition shows nothing (an executor may work on keys in parallel)', () => {
    const other = {
      ...base,
      kind: 'task' as const,
      name: 'run-0009-abc:x:1',
      offset: '14',
      key: 'run-0009-abc',
      value: '{}',
    };
    const answeredOther = result(
      { taskId: other.name, runId: 'run-0009-abc', nodeId: 'x', attempt: 1 },
      'run-0009-abc',
    );
    expect(fates({ sent: [...sent.filter((s) => s !== task), other], results: [answeredOther] })).toEqual([
      'not-json@10: not-consumed',
      'not-a-task@11: not-consumed',
      'tombstone@12: not-consumed',
    ]);
  });

  it('records the executor never got past are not consumed, not dropped', () => {
    expect(fates({})).toEqual([
      'not-json@10: not-consumed',
      'not-a-task@11: not-consumed',
      'tombstone@12: not-consumed',
    ]);
    // It committed up to (not past) the second one: only the first is behind it.
    expect(fates({ committed: new Map([[2, 11n]]) })).toEqual([
      'not-json@10: dropped',
      'not-a-task@11: not-consumed',
      'tombstone@12: not-consumed',
    ]);
    // A commit on another partition says nothing about this one.
    expect(fates({ committed: new Map([[0, 99n]]) })).toEqual([
      'not-json@10: not-consumed',
      'not-a-task@11: not-consumed',
      'tombstone@12: not-consumed',
    ]);
    expect(poisonFates(evidence({ committed: new Map([[2, 10n]]) }))[0]!.detail).toBe(
      'the executor never got past it (committed offset 10 on partition 2, and no task after it there was answered)',
    );
  });

  it('when the dead-letter topic could not be read to its end, nothing is called dropped (a dead letter may still come)', () => {
    expect(fates({ committed: new Map([[2, 14n]]), readToEnd: false })).toEqual([
      'not-json@10: undetermined',
      'not-a-task@11: undetermined',
      'tombstone@12: undetermined',
    ]);
  });

  it('a dead letter of another record does not clear a poison record: the task, another topic, another offset or partition', () => {
    const otherTopic = observed(deadLetterRecord({ ...failed(notJson), topic: 'other-tasks' }, cause));
    const otherPartition = observed(deadLetterRecord({ ...failed(notJson), partition: 0 }, cause));
    const ofTheTask = spring(task);
    const javaOfTheTask = javaJson(task); // no offset in the Java format: its value is the task's, not a poison record's
    const fatesSeen = fates({
      committed: new Map([[2, 14n]]),
      deadLetters: [otherTopic, otherPartition, ofTheTask, javaOfTheTask],
    });
    expect(fatesSeen).toEqual(['not-json@10: dropped', 'not-a-task@11: dropped', 'tombstone@12: dropped']);
  });

  it('one dead letter clears one record: three records, one dead letter, two dropped', () => {
    expect(fates({ committed: new Map([[2, 14n]]), deadLetters: [spring(notATask)] })).toEqual([
      'not-json@10: dropped',
      'not-a-task@11: dead-lettered',
      'tombstone@12: dropped',
    ]);
  });

  it("a Java DeadLetterMessage whose originalValue is Java's toString() of the bytes is matched by topic and key", () => {
    const letter = observed(upstreamDialect.deadLetter({ ...failed(notJson), value: '[B@1b6d3586' }, { ...cause }));
    const reports = poisonFates(evidence({ committed: new Map([[2, 14n]]), deadLetters: [letter] }));
    expect(reports.map((p) => p.fate)).toEqual(['dead-lettered', 'dropped', 'dropped']);
    expect(reports[0]!.detail).toContain('matched by topic and key');
  });

  it('a result that answers no task sent, keyed like the record, is an answer to it', () => {
    const stray = result({ status: 'FAILURE', error: { code: 'UNREADABLE', message: 'not a task' } });
    const reports = poisonFates(evidence({ committed: new Map([[2, 14n]]), results: [result(TASK), stray] }));
    expect(reports.map((p) => p.fate)).toEqual(['answered', 'dropped', 'dropped']);
    // Keyed otherwise, it answers none of them.
    expect(fates({ committed: new Map([[2, 14n]]), results: [result({ status: 'FAILURE' }, 'another-key')] })).toEqual([
      'not-json@10: dropped',
      'not-a-task@11: dropped',
      'tombstone@12: dropped',
    ]);
  });

  it('no poison record sent: no fates', () => {
    expect(poisonFates(evidence({ sent: sent.filter((s) => s.kind === 'task') }))).toEqual([]);
  });

  it('the finding is named "dropped without a trace" and carries the record', () => {
    const [first] = poisonFates(evidence({ committed: new Map([[2, 14n]]) }));
    const finding = droppedFinding(first!);
    expect(finding).toMatchObject({
      case: 'poison/before-task',
      rule: 'poison-traced',
      record: { topic: 'c-x-tasks', partition: 2, offset: '10' },
    });
    expect(finding.message).toMatch(
      /^dropped without a trace: unreadable record "not-json" \(c-x-tasks partition 2 offset 10\): the executor got past it/,
    );
    expect(finding.message).not.toMatch(/undefined|null/);
  });
});

describe('the dropped finding in every output', () => {
  const poisonRecords = poisonFates(evidence({ committed: new Map([[2, 14n]]), deadLetters: [spring(notJson)] }));
  const findings = poisonRecords.filter((p) => p.fate === 'dropped').map(droppedFinding);
  const report = (strict: boolean): ContractReport => ({
    executorType: 'payment-processor',
    dialect: 'spec',
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
    bootstrapServers: ['127.0.0.1:9092'],
    topics: { tasks: 'c-x-tasks', results: 'r', events: 'e', status: 's', dlq: 'c-x-dlq' },
    groupId: 'g',
    passed: strict ? 0 : 1,
    failed: strict ? 1 : 0,
    cases: [
      {
        name: 'poison/before-task',
        kind: 'poison',
        taskId: TASK.taskId,
        status: strict ? 'failed' : 'passed',
        results: 1,
        violations: strict ? findings : [],
      },
    ],
    violations: strict ? findings : [],
    deadLettered: 1,
    compatNotes: [],
    strictCompat: false,
    poisonRecords,
    warnings: strict ? [] : findings,
    strict,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-poison-'));

  it('console: a warning section by rule, each record once, and the count in the last line', () => {
    const text = stripVTControlCharacters(renderContractSummary(report(false)));
    expect(text).toContain(
      '2 warning(s): a "should" the executor did not meet (not failing the run; --strict makes it fail):',
    );
    expect(text).toMatch(
      / {2}poison-traced: an unreadable record .*\n {4}dropped without a trace: unreadable record "not-a-task" \(c-x-tasks partition 2 offset 11\)/,
    );
    expect(text).toContain('dropped without a trace: unreadable record "tombstone" (c-x-tasks partition 2 offset 12)');
    expect(text).not.toContain('"not-json" (c-x-tasks'); // dead-lettered: no finding
    expect(text).toMatch(/1 passed, 0 failed, 2 warning\(s\) \(1 record\(s\) dead-lettered by the executor\)$/);
    expect(text).not.toContain('contract violation(s)');
  });

  it('console under --strict: the same finding is a violation and the run fails', () => {
    const text = stripVTControlCharacters(renderContractSummary(report(true)));
    expect(text).toContain('2 contract violation(s) under 1 rule(s), 2 in all:');
    expect(text).toContain('dropped without a trace: unreadable record "not-a-task" (c-x-tasks partition 2 offset 11)');
    expect(text).not.toContain('warning(s)');
    expect(text).toMatch(/0 passed, 1 failed/);
  });

  it('records not consumed are said apart, never as dropped', () => {
    const notConsumed = poisonFates(evidence({}));
    const text = stripVTControlCharacters(
      renderContractSummary({ ...report(false), poisonRecords: notConsumed, warnings: [] }),
    );
    expect(text).toContain('3 unreadable record(s) not judged:');
    expect(text).toContain(
      'not consumed: "tombstone" (c-x-tasks partition 2 offset 12): the executor never got past it',
    );
    expect(text).not.toContain('dropped without a trace');
  });

  it('JSON: warnings with the record, every fate, and strict', () => {
    const file = path.join(dir, 'c.json');
    writeContractJson(report(false), file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as ContractReport;
    expect(json.strict).toBe(false);
    expect(json.warnings.map((w) => [w.rule, w.record])).toEqual([
      ['poison-traced', { topic: 'c-x-tasks', partition: 2, offset: '11' }],
      ['poison-traced', { topic: 'c-x-tasks', partition: 2, offset: '12' }],
    ]);
    expect(json.poisonRecords.map((p) => p.fate)).toEqual(['dead-lettered', 'dropped', 'dropped']);
  });

  it('JUnit: the case passes with each warning in its output; under --strict it fails with them', () => {
    const file = path.join(dir, 'c.xml');
    writeContractJUnit(report(false), file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('<property name="warnings" value="2"/>');
    expect(xml).toMatch(
      /<system-out><!\[CDATA\[warning \[poison-traced\] poison\/before-task: dropped without a trace: unreadable record "not-a-task" \(c-x-tasks partition 2 offset 11\)/,
    );
    writeContractJUnit(report(true), file);
    const strictXml = readFileSync(file, 'utf8');
    expect(strictXml).toMatch(/<failure [^>]*type="poison-traced,poison-traced"/);
    expect(strictXml).toContain(
      'dropped without a trace: unreadable record &quot;tombstone&quot; (c-x-tasks partition 2 offset 12)',
    );
  });

  it('HTML: the warnings on the scenario and a count beside passed and failed', () => {
    const html = renderHtmlReport(reportInputFromContract(report(false)));
    expect(html).toContain('<span class="badge warning">2 warning(s)</span>');
    expect(html).toMatch(
      /<div class="note warnings"><strong>2 warning\(s\)<\/strong>.*<li><code>\[poison-traced\] poison\/before-task: dropped without a trace: unreadable record &quot;not-a-task&quot; \(c-x-tasks partition 2 offset 11\)/,
    );
    const strictHtml = renderHtmlReport(reportInputFromContract(report(true)));
    expect(strictHtml).not.toContain('class="note warnings"');
    expect(strictHtml).toContain(
      'dropped without a trace: unreadable record &quot;not-a-task&quot; (c-x-tasks partition 2 offset 11)',
    ); // in the failed step
  });
});

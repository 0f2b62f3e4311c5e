import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import type { ContractReport } from '../../../harness/contract/run.js';
import { startTestBroker } from '../../support/broker.js';
import { contractCli } from './support.js';

// Issue #21: an executor that commits past unreadable records without writing anything passed in silence
// ("12 passed, 0 failed"). Each such record is now a finding, "dropped without a trace", with its topic,
// partition and offset, in every output: a warning (exit 0) by default, a failure (exit 1) with --strict.
let broker: StartedBroker;
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-contract-dropped-'));

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.stop();
});

const executor = `${path.join('node_modules', '.bin', 'tsx')} test/integration/contract/dropping-executor.ts`;
const run = (name: string, poison: 'drop' | 'dead-letter', extra: string[] = []) =>
  contractCli(
    [
      ...['--kafka', 'external', '--bootstrap-servers', broker.bootstrapServers.join(',')],
      ...['--executor-cmd', executor, '--type', 'payment-processor', '--show-output'],
      ...[
        '--json',
        path.join(dir, `${name}.json`),
        '--junit',
        path.join(dir, `${name}.xml`),
        '--report',
        path.join(dir, `${name}.html`),
      ],
      ...extra,
    ],
    { POISON: poison },
  );
const json = (name: string) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as ContractReport;
/** Where the executor itself says it dropped (or dead-lettered) each unreadable record, from its own output. */
const executorSaw = (stderr: string) =>
  [...stderr.matchAll(/unreadable record at (\S+) partition (\d+) offset (\d+)/g)].map(
    (m) => `${m[1]} partition ${m[2]} offset ${m[3]}`,
  );

describe('an executor that drops unreadable records without a trace', () => {
  it('without --strict: each record is a named warning in the console, JSON, JUnit and HTML, and the run exits 0', async () => {
    const result = await run('drop', 'drop');
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const seen = executorSaw(result.stderr);
    expect(seen, result.stderr).toHaveLength(3);
    // The places the harness names are the ones the executor read the records at.
    const named = [
      ...result.stdout.matchAll(
        /dropped without a trace: unreadable record "([\w-]+)" \((\S+ partition \d+ offset \d+)\)/g,
      ),
    ].map((m) => [m[1], m[2]]);
    expect(named.map(([, where]) => where)).toEqual(seen);
    expect(named.map(([name]) => name)).toEqual(['not-json', 'not-a-task', 'tombstone']);
    expect(result.stdout).toContain(
      '3 warning(s): a "should" the executor did not meet (not failing the run; --strict makes it fail):',
    );
    expect(result.stdout).toMatch(/\d+ passed, 0 failed, 3 warning\(s\)\n?$/);
    expect(result.stdout).not.toContain('dead-lettered by the executor');
    // What the run created on this cluster is removed, its groups included (a member still leaving is waited for).
    expect(result.stderr).toMatch(/Removed what this run created on .*: 5 topics and 2 consumer groups/);
    expect(result.stderr).not.toContain('Could not remove');

    const report = json('drop');
    expect(report.failed).toBe(0);
    expect(report.strict).toBe(false);
    expect(report.poisonRecords.map((p) => p.fate)).toEqual(['dropped', 'dropped', 'dropped']);
    expect(
      report.warnings.map((w) => `${w.record!.topic} partition ${w.record!.partition} offset ${w.record!.offset}`),
    ).toEqual(seen);
    expect(report.warnings.every((w) => w.rule === 'poison-traced' && w.case === 'poison/before-task')).toBe(true);

    const xml = readFileSync(path.join(dir, 'drop.xml'), 'utf8');
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('<property name="warnings" value="3"/>');
    expect(xml.match(/warning \[poison-traced\] poison\/before-task: dropped without a trace/g)).toHaveLength(3);

    const html = readFileSync(path.join(dir, 'drop.html'), 'utf8');
    expect(html).toContain('<span class="badge warning">3 warning(s)</span>');
    expect(html).toContain(`dropped without a trace: unreadable record &quot;tombstone&quot; (${seen[2]})`);
  }, 240_000);

  it('with --strict: the same records fail the poison case and the run exits 1', async () => {
    const result = await run('strict', 'drop', ['--strict']);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    expect(result.stdout).toMatch(/✖ poison\/before-task/);
    expect(result.stdout).toMatch(/poison-traced: .*\n\s+dropped without a trace: unreadable record "not-json"/);
    expect(result.stdout).toMatch(/\d+ passed, 1 failed\n?$/);
    const report = json('strict');
    expect(report.strict).toBe(true);
    expect(report.warnings).toEqual([]);
    expect(report.violations.filter((v) => v.rule === 'poison-traced')).toHaveLength(3);
    expect(readFileSync(path.join(dir, 'strict.xml'), 'utf8')).toMatch(
      /<testcase [^>]*name="poison\/before-task"[^>]*>\s*<failure [^>]*type="poison-traced,poison-traced,poison-traced"/,
    );
  }, 240_000);
});

describe('an executor that dead-letters unreadable records', () => {
  it('in each of the three formats (Spring headers, Java DeadLetterMessage, SmallRye headers): no finding, even with --strict', async () => {
    const result = await run('dead-letter', 'dead-letter', ['--strict']);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(executorSaw(result.stderr)).toHaveLength(3);
    expect(result.stderr).not.toContain('Could not remove');
    expect(result.stdout).not.toContain('dropped without a trace');
    expect(result.stdout).toMatch(/\d+ passed, 0 failed \(3 record\(s\) dead-lettered by the executor\)\n?$/);
    const report = json('dead-letter');
    expect(report.poisonRecords.map((p) => [p.name, p.fate])).toEqual([
      ['not-json', 'dead-lettered'],
      ['not-a-task', 'dead-lettered'],
      ['tombstone', 'dead-lettered'],
    ]);
    expect(report.poisonRecords.map((p) => p.detail.replace(/.*\((.*)\)$/, '$1'))).toEqual([
      'Spring kafka_dlt-* headers',
      'a DeadLetterMessage',
      'SmallRye dead-letter-* headers',
    ]);
  }, 240_000);
});

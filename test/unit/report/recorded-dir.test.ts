import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.js';
import { readRecording, writeRecording } from '../../../harness/recorder/recording.js';
import { reportInputFromRecordDir } from '../../../harness/report/html/index.js';
import { demoRecording } from './flow-fixture.js';

const root = mkdtempSync(path.join(tmpdir(), 'gamelan-recorded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => {
  const d = path.join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
};

describe('a recording directory', () => {
  it('round-trips: what writeRecording wrote, readRecording reads', () => {
    const d = dir('round-trip');
    const recording = demoRecording();
    writeRecording(d, 'demo', recording);
    expect(readRecording(d, 'demo')).toEqual(JSON.parse(JSON.stringify(recording)));
  });

  it('is read with its summary and anomalies file; findings are computed only where no file is given', () => {
    const d = dir('full');
    writeRecording(d, 'retries', demoRecording());
    writeRecording(d, 'extra', demoRecording());
    writeFileSync(path.join(d, 'retries.anomalies.json'), JSON.stringify([{ kind: 'lost', detail: 'from the file' }]));
    const summary = {
      startedAt: '2025-01-01T00:00:00Z',
      durationMs: 5,
      bootstrapServers: ['127.0.0.1:9092'],
      kafka: 'native',
      passed: 1,
      failed: 0,
      scenarios: [
        {
          name: 'retries',
          description: 'd',
          file: 'f',
          status: 'passed',
          durationMs: 5,
          steps: [],
          measurements: { a: 1 },
        },
      ],
    };
    writeFileSync(path.join(d, 'summary.json'), JSON.stringify(summary));
    const input = reportInputFromRecordDir(d, { findings: () => ['computed'] });
    expect(input.source).toBe('recording');
    expect(input.scenarios.map((s) => [s.name, s.status, s.anomalies])).toEqual([
      ['retries', 'passed', [{ kind: 'lost', detail: 'from the file' }]],
      ['extra', 'unknown', ['computed']],
    ]);
    expect(input.scenarios[0]!.recording!.messages).toHaveLength(14);
  });

  it('flows without a summary are shown without results; older recordings without groups or lag files read', () => {
    const d = dir('flow-only');
    writeFileSync(
      path.join(d, 'old.jsonl'),
      demoRecording()
        .messages.map((m) => JSON.stringify(m))
        .join('\n'),
    );
    const input = reportInputFromRecordDir(d);
    expect(input.scenarios).toHaveLength(1);
    expect(input.scenarios[0]).toMatchObject({ name: 'old', status: 'unknown', recording: { groups: [], lag: [] } });
  });

  it('bad input: a clear ConfigError naming the path', () => {
    const missing = path.join(root, 'nope');
    expect(() => reportInputFromRecordDir(missing)).toThrow(ConfigError);
    expect(() => reportInputFromRecordDir(missing)).toThrow(`${missing} is not a directory`);
    const empty = dir('empty');
    expect(() => reportInputFromRecordDir(empty)).toThrow(/holds no recording.*run --record/);
    const broken = dir('broken');
    writeFileSync(path.join(broken, 'x.jsonl'), '{"topic":"t"}\nnot json\n');
    expect(() => reportInputFromRecordDir(broken)).toThrow(`${path.join(broken, 'x.jsonl')}:2: not a JSON line`);
    const badSummary = dir('bad-summary');
    writeFileSync(path.join(badSummary, 'summary.json'), '{"passed":1}');
    try {
      reportInputFromRecordDir(badSummary);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).code).toBe('CONFIG_INVALID_VALUE');
      expect((e as Error).message).toContain('has no "scenarios" array');
    }
  });
});

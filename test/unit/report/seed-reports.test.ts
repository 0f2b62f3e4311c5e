import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeJUnitReport } from '../../../harness/report/junit.js';
import { renderScenarioTable } from '../../../harness/report/scenario-table.js';
import { reportInputFromRun } from '../../../harness/report/html/sources.js';
import { replayCommandFor, replayTarget } from '../../../harness/scenario/replay.js';
import { BUNDLED_SCENARIOS_DIR } from '../../../harness/scenario/import-scenarios.js';
import type { RunSummary } from '../../../harness/scenario/result.js';

// The seed and its replay command in the console table, the JUnit XML and the HTML report's input.
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-seed-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bundled = { name: 'chaos-crash-storm', file: path.join(BUNDLED_SCENARIOS_DIR, 'chaos-crash-storm.ts') };
const replay = 'npx gamelan-harness run chaos-crash-storm --seed 7';
const faults = {
  planned: [{ what: 'kill -9', target: 'the child executor of round 0', when: 'round 0', delayMs: 286 }],
  applied: [{ what: 'kill -9', target: 'executor x', lane: 'executor:x', from: 1, to: 2 }],
};
const summary: RunSummary = {
  startedAt: '2026-12-07T22:00:00.000Z',
  durationMs: 1000,
  bootstrapServers: ['127.0.0.1:1'],
  kafka: 'native',
  seed: 7,
  replay,
  passed: 0,
  failed: 1,
  skipped: 0,
  scenarios: [
    {
      ...bundled,
      description: 'd',
      status: 'failed',
      durationMs: 900,
      steps: [{ name: 'every run completes', status: 'failed', durationMs: 800, error: 'run r-1 never completed' }],
      error: 'run r-1 never completed',
      measurements: {},
      seed: 7,
      replay,
      faults,
    },
  ],
};

describe('replay commands', () => {
  it('a bundled scenario by name, a file of your own by its path; --long and a non-default dialect kept', () => {
    expect(replayTarget(bundled)).toBe('chaos-crash-storm');
    expect(replayTarget({ name: 'mine', file: path.join(process.cwd(), 'my-scenarios/mine.ts') })).toBe(
      'my-scenarios/mine.ts',
    );
    expect(replayCommandFor([bundled], 7, { env: {} })).toBe(replay);
    expect(replayCommandFor([bundled], 7, { env: { GAMELAN_CHAOS_LONG: '1' }, dialect: 'upstream' })).toBe(
      'npx gamelan-harness run chaos-crash-storm --long --dialect upstream --seed 7',
    );
  });
});

describe('the seed in the reports', () => {
  it('the console table: the seed and replay under the table, and a replay line under each failure', () => {
    const text = renderScenarioTable(summary, { replay: (s) => replayCommandFor(s, 7, { env: {} }) });
    expect(text).toContain(`✗ chaos-crash-storm: run r-1 never completed\n  replay it with seed 7: ${replay}`);
    expect(text.trim().split('\n').at(-1)).toBe(`seed 7; replay: ${replay}`);
  });

  it("JUnit: seed and replay as suite properties, and as the failed case's output (the failure message stays the step's)", () => {
    const file = path.join(dir, 'junit.xml');
    writeJUnitReport(summary, file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('<property name="seed" value="7"/>');
    expect(xml).toContain(`<property name="replay" value="${replay}"/>`);
    expect(xml).toContain('<failure message="run r-1 never completed"/>');
    expect(xml).toContain(`<system-out><![CDATA[seed 7; replay: ${replay}]]></system-out>`);
  });

  it('the HTML report input carries the seed, the replay command and the fault schedule', () => {
    const input = reportInputFromRun(summary, new Map());
    expect(input).toMatchObject({ seed: 7, replay });
    expect(input.scenarios[0]).toMatchObject({ seed: 7, replay, faults });
  });
});

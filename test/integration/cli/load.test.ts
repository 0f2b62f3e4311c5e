import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { nativeUnavailable } from '../../support/broker.js';

// `gamelan-harness load` as a user runs it: a child process that boots its own native broker, drives
// tasks through fake or process executors and reports. Bad input exits 2 before anything starts.
const root = path.resolve(import.meta.dirname, '../../..');
const noNative = await nativeUnavailable();

async function load(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await execa(path.join(root, 'node_modules/.bin/tsx'), ['harness/cli/main.ts', 'load', ...args], {
    cwd: root,
    reject: false,
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface JsonReport {
  started: number;
  completed: number;
  failed: number;
  lost: number;
  duplicated: number;
  runsPerSecond: number;
  lagPeak: number;
  executor: string;
  latency: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  lostSample: string[];
  duplicatedSample: string[];
  memory: {
    rssMb: number;
    heapUsedMb: number;
    rssPeakMb: number;
    heapUsedPeakMb: number;
    rssAfterWarmupMb: number | null;
    rssSlopeMbPerMin: number | null;
  };
  slos: { slo: string; actual: number; met: boolean }[];
}

describe('load: bad input exits 2 before anything starts', () => {
  it.each([
    [['--slo', 'p99<'], /--slo "p99<" is not allowed: use a latency bound like p99<200ms/],
    [['--slo', 'p42<200ms'], /--slo "p42<200ms" is not allowed/],
    [['--slo', 'throughput>=5ms'], /throughput takes \/s/],
    [
      ['--duration', 'soon'],
      /--duration "soon" is not allowed: use a positive duration up to 596h \(2147483647 ms\) like 30s/,
    ],
    [['--behaviour', 'slow:fast'], /--behaviour "slow:fast" is not allowed \("fast" is not a whole number\)/],
    [['--executor-cmd', 'true'], /--executor-cmd needs --type/],
    [['--rate', '0'], /--rate "0" is not allowed/],
    [['--context', '[1]'], /--context "\[1\]" is not a JSON object/],
    [['--context', '{amount: 1}'], /--context "\{amount: 1\}" is not JSON/],
  ])(
    '%j',
    async (args, message) => {
      const result = await load([...args, '--kafka', 'native']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/Kafka ready/);
    },
    60_000,
  );
});

describe.skipIf(noNative !== undefined)('load against a real broker', () => {
  it('fake executors: every task answered once, HDR percentiles, exit 1 when an SLO is missed', async () => {
    const result = await load([
      '--kafka',
      'native',
      '--tasks',
      '400',
      '--executors',
      '2',
      '--behaviour',
      'slow:2',
      '--json',
      '--slo',
      'p99<120s',
      '--slo',
      'throughput>=1000000/s',
    ]);
    expect(result.code, result.stderr).toBe(1); // nobody answers a million tasks a second
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report).toMatchObject({
      started: 400,
      completed: 400,
      failed: 0,
      lost: 0,
      duplicated: 0,
      executor: '2 fake executor(s), slow:2',
    });
    expect(report.latency.count).toBe(400);
    expect(report.latency.p50Ms).toBeGreaterThan(0);
    expect(report.latency.p50Ms).toBeLessThanOrEqual(report.latency.p99Ms);
    expect(report.latency.p99Ms).toBeLessThanOrEqual(report.latency.maxMs);
    expect(report.lagPeak).toBeGreaterThanOrEqual(0);
    expect(report).toMatchObject({ lostSample: [], duplicatedSample: [] });
    // the harness process's own memory; a run this short has no figure after the first minute
    expect(report.memory.rssMb).toBeGreaterThan(report.memory.heapUsedMb);
    expect(report.memory.heapUsedMb).toBeGreaterThan(0);
    expect(report.memory.rssPeakMb).toBeGreaterThanOrEqual(report.memory.rssMb);
    expect(report.memory.heapUsedPeakMb).toBeGreaterThanOrEqual(report.memory.heapUsedMb);
    expect(report.memory).toMatchObject({ rssAfterWarmupMb: null, rssSlopeMbPerMin: null });
    expect(report.slos).toEqual([
      { slo: 'p99<120s', actual: report.latency.p99Ms, met: true },
      { slo: 'throughput>=1000000/s', actual: report.runsPerSecond, met: false },
    ]);
  }, 300_000);

  it('a process executor (--executor-cmd) at a rate: all answered, SLOs met, exit 0, a readable report', async () => {
    const result = await load([
      '--kafka',
      'native',
      '--tasks',
      '100',
      '--rate',
      '200',
      '--type',
      'load-test-executor',
      '--executor-cmd',
      `${path.join('node_modules', '.bin', 'tsx')} test/integration/cli/report-executor.ts`,
      '--slo',
      'p99<60s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /load: 100 tasks against .*report-executor\.ts \(kafkajs client, classic group protocol\)/,
    );
    expect(result.stdout).toMatch(/latency ms\s+p50 [\d.,]+\s+p90 [\d.,]+\s+p99 [\d.,]+/);
    expect(result.stdout).toMatch(/100 succeeded, 0 failed; lost 0, duplicated 0/);
    expect(result.stdout).toMatch(
      /memory\s+harness rss [\d,]+ MB \(peak [\d,]+ MB\), heap [\d,]+ MB \(peak [\d,]+ MB\)\n/,
    );
    expect(result.stdout).toMatch(/SLO\s+p99<60s: [\d.,]+ met/);
  }, 300_000);
});

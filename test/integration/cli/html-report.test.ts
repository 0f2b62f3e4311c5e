import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { startTestBroker } from '../../support/broker.js';
import { artifactPath, chromiumPath, launchChromium, noChromiumReason, openReport } from '../../support/chromium.js';

// The HTML report end to end: `run --record --report` of the four bundled scenarios, `report <dir>` of that recording,
// and `contract --report`, as child processes on a real broker; then each page in headless Chromium.
const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-html-report-'));
const out = (name: string) => path.join(dir, name);
let broker: StartedBroker;

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(tsx, ['harness/cli/main.ts', ...args], {
      cwd: root,
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GAMELAN_TEST_KAFKA: undefined },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
const BUNDLED = ['lag', 'rebalance', 'replay', 'retries-to-dlq'] as const;
const external = () => ['--kafka', 'external', '--bootstrap-servers', broker.bootstrapServers.join(',')];

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTML report files', () => {
  it('run --record --report: the report, and a recording with the summary, flow, groups and lag', async () => {
    // The four bundled scenarios (the default set), each recorded and drawn.
    const result = await cli(['run', ...BUNDLED, ...external(), '--record', out('flows'), '--report', out('run.html')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`HTML report: ${out('run.html')}`);
    for (const f of ['summary.json', 'retries-to-dlq.jsonl', 'retries-to-dlq.groups.jsonl', 'retries-to-dlq.lag.jsonl'])
      expect(existsSync(out(`flows/${f}`)), f).toBe(true);
    const lag = readFileSync(out('flows/retries-to-dlq.lag.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lag[0]!)).toMatchObject({
      groupId: expect.stringMatching(/^s-retries-to-dlq-.*-executors$/),
      partitions: expect.any(Array),
    });
    const html = readFileSync(out('run.html'), 'utf8');
    for (const name of BUNDLED) {
      expect(html).toContain(`href="#scenario-${name}"`);
      expect(existsSync(out(`flows/${name}.jsonl`)), name).toBe(true);
    }
    expect(html).toContain('HANDLER_FAILED');
  }, 300_000);

  it('report <dir> renders that recording again, with its results', async () => {
    const result = await cli(['report', out('flows'), '--out', out('again.html')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/again\.html: 4 scenarios, \d+ records/);
    const html = readFileSync(out('again.html'), 'utf8');
    expect(html).toContain('PASS');
    expect(html).toContain('HANDLER_FAILED');
  }, 60_000);

  it('contract --report: the cases as steps and what the recorder saw', async () => {
    const cmd = `${tsx} ${path.join('test', 'integration', 'cli', 'report-executor.ts')}`;
    const result = await cli([
      'contract',
      ...external(),
      '--executor-cmd',
      cmd,
      '--type',
      'payment-processor',
      '--report',
      out('contract.html'),
    ]);
    expect(result.stderr).toContain(`HTML report: ${out('contract.html')}`);
    const html = readFileSync(out('contract.html'), 'utf8');
    expect(html).toContain('contract payment-processor');
    expect(html).toMatch(/golden/);
  }, 240_000);
});

if (noChromiumReason) console.warn(`skipping the HTML report's browser checks: ${noChromiumReason}`);

describe.skipIf(!chromiumPath)('HTML reports in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const [file, participants] of [
    ['run.html', ['engine', 'tasks p', 'dlq p']],
    ['again.html', ['engine', 'tasks p', 'dlq p']],
    ['contract.html', ['contract', 'tasks p', 'report-executor-1']],
  ] as const) {
    it(`${file} loads offline, without console errors, and draws its diagram and charts`, async () => {
      expect(existsSync(out(file)), `${file} was written by the test before`).toBe(true);
      const report = await openReport(browser, out(file));
      try {
        const { page } = report;
        expect(report.networkAttempts).toEqual([]);
        expect(report.consoleErrors).toEqual([]);
        const names = await page.locator('.sequence-svg .participant text').allTextContents();
        // Long names are cut in the middle to their column ('report-…utor-1'): the kept head and tail must fit.
        const fits = (n: string, p: string) => {
          const [head, tail] = n.split('…');
          return tail === undefined ? n.startsWith(p) : p.startsWith(head!) && p.endsWith(tail);
        };
        for (const p of participants)
          expect(
            names.some((n) => fits(n, p)),
            `${p} in ${names.join(', ')}`,
          ).toBe(true);
        expect(await page.locator('.sequence-svg .arrow').count()).toBeGreaterThan(3);
        expect(await page.locator('.membership-svg rect.segment').count()).toBeGreaterThan(0);
        expect(await page.locator('.lag-chart canvas').count()).toBeGreaterThan(0);
        if (file !== 'contract.html') {
          for (const name of BUNDLED) expect(await page.locator(`#scenario-${name}`).count(), name).toBe(1);
        }
        await page.screenshot({ path: artifactPath(`cli-${file.replace('.html', '')}.png`), fullPage: true });
        expect(report.consoleErrors).toEqual([]);
      } finally {
        await report.close();
      }
    }, 60_000);
  }
});

import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../../harness/report/html/index.js';
import { artifactPath, chromiumPath, noChromiumReason, openReport, useChromium } from '../../support/chromium.js';
import { demoRecording, largeRecording } from './flow-fixture.js';

if (noChromiumReason) console.warn(`skipping the HTML report's browser tests: ${noChromiumReason}`);

describe.skipIf(!chromiumPath)('HTML report in headless Chromium', () => {
  const chromium = useChromium('gamelan-html-');
  const { dir } = chromium;

  it('loads offline with no console error; the sequence, membership timeline and lag chart render', async () => {
    const file = path.join(dir, 'demo.html');
    writeHtmlReport(
      {
        title: 'demo run',
        source: 'run',
        scenarios: [
          {
            name: 'retries-to-dlq',
            description: 'a hand-made flow',
            status: 'failed',
            durationMs: 1500,
            steps: [{ name: 'charge fails', status: 'failed', durationMs: 900, error: 'expected 4 attempts' }],
            measurements: { gapsMs: [100, 200] },
            recording: demoRecording(),
            anomalies: [
              { kind: 'lost', runId: 'r-x', taskId: 'r-x:a:1', detail: 'sent, never answered', records: ['tasks-0@9'] },
            ],
          },
        ],
      },
      file,
    );
    const report = await openReport(chromium.browser(), file);
    try {
      const { page } = report;
      expect(report.networkAttempts).toEqual([]);
      expect(report.consoleErrors).toEqual([]);
      // Sequence: an SVG with the expected lifelines and one arrow per message of the flow.
      const participants = await page.locator('.sequence-svg .participant text').allTextContents();
      expect(participants).toEqual(
        expect.arrayContaining(['engine', 'tasks p2', 'executor-a', 'executor-b', 'results p2', 'dlq p2', 'events p0']),
      );
      expect(await page.locator('.sequence-svg .arrow').count()).toBe(18);
      // Filter by run: r-dlq's 11 messages (3 × task, take, result; the dead letter; RUN_FAILED), and only the lifelines it touches.
      await page.selectOption('.run-filter', { label: 'r-dlq' });
      expect(await page.locator('.sequence-svg .arrow').count()).toBe(11);
      expect(await page.locator('.sequence-svg .participant text').allTextContents()).toEqual([
        'engine',
        'tasks p2',
        'executor-b',
        'results p2',
        'events p2',
        'dlq p2',
      ]);
      await page.selectOption('.run-filter', { index: 0 });
      // Membership: three partition lanes, p2 moving to the second member.
      expect(await page.locator('.membership-svg').getAttribute('data-lanes')).toBe('3');
      expect(await page.locator('.membership-svg rect.segment').count()).toBe(4);
      // Lag: a uPlot canvas that is drawn, with the total and one series per partition.
      const canvas = page.locator('.lag-chart canvas');
      expect(await canvas.count()).toBe(1);
      const box = await canvas.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      const painted = await canvas.evaluate((element) => {
        // (the project's tsconfig has no DOM library: the canvas's few members used here, typed locally)
        const c = element as unknown as {
          width: number;
          height: number;
          getContext(kind: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
          };
        };
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      expect(painted).toBeGreaterThan(500);
      expect(await page.locator('.lag-chart .u-legend .u-series th').allTextContents()).toEqual([
        's',
        'total',
        'p0',
        'p1',
        'p2',
      ]);
      // Tables rendered by the server side: dead letter with headers, retry gaps, checker findings.
      expect(await page.locator('table.dead-letters tbody tr').first().textContent()).toContain('HANDLER_FAILED');
      expect(await page.locator('table.retries').textContent()).toContain('200 ms');
      expect(await page.locator('table.anomalies').textContent()).toContain('sent, never answered');
      await page.screenshot({ path: artifactPath('html-report-demo.png'), fullPage: true });
      expect(statSync(artifactPath('html-report-demo.png')).size).toBeGreaterThan(10_000);
      expect(report.consoleErrors).toEqual([]);
    } finally {
      await report.close();
    }
  }, 60_000);

  it('a large flow (100 000 records) stays usable: sampled, paged, said on the page', async () => {
    const file = path.join(dir, 'large.html');
    writeHtmlReport(
      {
        title: 'large',
        source: 'recording',
        scenarios: [{ name: 'large', status: 'passed', durationMs: 1, steps: [], recording: largeRecording(5000, 10) }],
      },
      file,
    );
    const report = await openReport(chromium.browser(), file);
    try {
      const { page } = report;
      expect(report.consoleErrors).toEqual([]);
      expect(await page.locator('.note').first().textContent()).toContain('Large flow: 150,000 messages');
      expect(await page.locator('.sequence-svg .arrow').count()).toBe(250);
      expect(await page.locator('.page-label').textContent()).toBe('messages 1–250 of 19980 (page 1/80)');
      await page.click('.next');
      expect(await page.locator('.page-label').textContent()).toBe('messages 251–500 of 19980 (page 2/80)');
      expect(report.networkAttempts).toEqual([]);
    } finally {
      await report.close();
    }
  }, 120_000);
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildPageModel,
  renderHtmlReport,
  writeHtmlReport,
  type ReportInput,
} from '../../../harness/report/html/index.js';
import type { FaultSchedule } from '../../../harness/scenario/fault-schedule.js';
import { artifactPath, chromiumPath, noChromiumReason, openReport, useChromium } from '../../support/chromium.js';
import { demoRecording, T0 } from './flow-fixture.js';

// The seed, its replay command and the fault schedule in the HTML report: the planned faults and the applied ones
// in tables, and each applied fault drawn on the sequence, group-membership and lag timelines.

const FAULTS: FaultSchedule = {
  planned: [
    { what: 'kill -9', target: 'the child executor of round 0', when: 'round 0, after its 6 runs', delayMs: 437 },
    { what: 'blackhole', target: 'lane executor-1', when: 'once the runs are started', forMs: 9_000 },
  ],
  applied: [
    { what: 'kill -9', target: 'executor executor-b', lane: 'executor:executor-b', from: T0 + 160, to: T0 + 160 },
    { what: 'blackhole', target: 'lane executor-1', from: T0 + 210, to: T0 + 420 },
    { what: 'kill -9', target: 'broker 2', from: T0 + 300 }, // never restarted: in force to the end
  ],
};

function input(): ReportInput {
  return {
    title: 'seeded chaos',
    source: 'run',
    seed: 7,
    replay: 'npx gamelan-harness run chaos-crash-storm --seed 7',
    scenarios: [
      {
        name: 'chaos-crash-storm',
        status: 'failed',
        durationMs: 600,
        steps: [],
        recording: demoRecording(),
        seed: 7,
        replay: 'npx gamelan-harness run chaos-crash-storm --seed 7',
        faults: FAULTS,
      },
    ],
  };
}

describe('faults and the seed in the HTML report (model and page text)', () => {
  it('the model holds the applied faults relative to the first recorded moment; one still in force ends at the last', () => {
    const [s] = buildPageModel(input()).scenarios;
    expect(s!.seed).toBe(7);
    expect(s!.faults.planned).toEqual(FAULTS.planned);
    expect(s!.faults.marks).toEqual([
      [160, 160, 'kill -9', 'executor executor-b', 'executor:executor-b'],
      [210, 420, 'blackhole', 'lane executor-1', ''],
      [300, 500, 'kill -9', 'broker 2', ''], // the last recorded moment is the lag sample at +500 ms
    ]);
  });

  it('the page prints the seed, the replay command, the planned schedule and the applied faults', () => {
    const html = renderHtmlReport(input());
    expect(html).toContain(
      'seed <code class="seed-value">7</code> · replay: <code class="replay">npx gamelan-harness run chaos-crash-storm --seed 7</code>',
    );
    expect(html).toContain(
      'replay this scenario: <code class="replay">npx gamelan-harness run chaos-crash-storm --seed 7</code>',
    );
    expect(html).toContain(
      '<td>the child executor of round 0</td><td>round 0, after its 6 runs</td><td class="num">437 ms</td>',
    );
    expect(html.match(/<tr class="fault-row">/g)).toHaveLength(3);
    // The page script draws a mark per fault on each of the three timelines.
    for (const timeline of ['sequence', 'membership', 'lag']) expect(html).toContain(`'data-timeline': '${timeline}'`);
  });

  it('a run without faults has no fault section', () => {
    const plain = input();
    const html = renderHtmlReport({
      ...plain,
      scenarios: [{ ...plain.scenarios[0]!, faults: { planned: [], applied: [] } }],
    });
    expect(html).not.toContain('<h3>Faults</h3>');
  });
});

if (noChromiumReason) console.warn(`skipping the fault marks' browser test: ${noChromiumReason}`);

describe.skipIf(!chromiumPath)('fault marks in headless Chromium', () => {
  const chromium = useChromium('gamelan-html-faults-');
  const { dir } = chromium;

  it('every applied fault is drawn on the sequence, the membership timeline and the lag chart, with what and whom', async () => {
    const file = path.join(dir, 'faults.html');
    writeHtmlReport(input(), file);
    const report = await openReport(chromium.browser(), file);
    try {
      const { page } = report;
      expect(report.consoleErrors).toEqual([]);
      expect(await page.locator('.sequence-svg .fault-mark[data-timeline="sequence"]').count()).toBe(3);
      expect(await page.locator('.membership-svg .fault-mark[data-timeline="membership"]').count()).toBe(3);
      expect(await page.locator('.lag-chart .fault-mark[data-timeline="lag"]').count()).toBe(3);
      expect(await page.locator('.sequence-svg .fault-mark title').allTextContents()).toEqual([
        'fault: kill -9 on executor executor-b from +0.160 s to +0.160 s',
        'fault: blackhole on lane executor-1 from +0.210 s to +0.420 s',
        'fault: kill -9 on broker 2 from +0.300 s to +0.500 s',
      ]);
      // The kill of executor-b marks its lifeline too.
      expect(await page.locator('.sequence-svg .fault-mark line').count()).toBe(1);
      // The blackhole's band on the lag chart sits between +0.21 s and +0.42 s of a 0.5 s axis: left of the broker kill's.
      const lagBoxes = await page
        .locator('.lag-chart .fault-mark')
        .evaluateAll((nodes) =>
          nodes.map(
            (n) =>
              [
                (n as unknown as { offsetLeft: number }).offsetLeft,
                (n as unknown as { offsetWidth: number }).offsetWidth,
              ] as const,
          ),
        );
      expect(lagBoxes[1]![0]).toBeLessThan(lagBoxes[2]![0]);
      expect(lagBoxes[1]![1]).toBeGreaterThan(lagBoxes[0]![1]);
      await page.screenshot({ path: artifactPath('html-fault-marks.png'), fullPage: true });
    } finally {
      await report.close();
    }
  }, 60_000);
});

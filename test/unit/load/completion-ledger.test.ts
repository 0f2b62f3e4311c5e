import { describe, expect, it } from 'vitest';
import { CompletionLedger, type LedgerSize, newSeriesPrefix, RangeSet } from '../../../harness/load/ledger.js';

// The load run's lost/duplicate bookkeeping on synthetic events (no broker): it must hold state per run in
// flight, not per run ever started, and still find every lost and every twice-completed task.

const node = 'task';
const started = (runId: string) => ({ runId, eventType: 'NODE_STARTED', nodeId: node });
const completed = (runId: string) => ({ runId, eventType: 'NODE_COMPLETED', nodeId: node });
const runCompleted = (runId: string) => ({ runId, eventType: 'RUN_COMPLETED' });

/**
 * n one-node runs with `window` of them open at a time, ending out of order (each block of `window` ends in
 * reverse), as runs in flight do. Returns the largest state seen and the final check.
 */
function feed(n: number, window: number) {
  const ledger = new CompletionLedger();
  const prefix = newSeriesPrefix();
  const peak = { series: 0, openRuns: 0, endedRanges: 0 };
  const grow = (size: LedgerSize) => {
    peak.series = Math.max(peak.series, size.series);
    peak.openRuns = Math.max(peak.openRuns, size.openRuns);
    peak.endedRanges = Math.max(peak.endedRanges, size.endedRanges);
  };
  for (let block = 0; block < n; block += window) {
    const ids = Array.from({ length: Math.min(window, n - block) }, (_, i) => `${prefix}${block + i}`);
    for (const id of ids) ledger.see(started(id));
    grow(ledger.size());
    for (const id of ids.toReversed()) {
      ledger.see(completed(id));
      ledger.see(runCompleted(id));
      if (ids.indexOf(id) % 50 === 0) grow(ledger.size());
    }
  }
  grow(ledger.size());
  return {
    peak,
    final: ledger.size(),
    check: ledger.check({ prefix, count: n }),
    allEnded: ledger.allEnded({ prefix, count: n }),
  };
}

describe('CompletionLedger: state per run in flight', () => {
  it('holds as much after 100,000 runs as after 10,000 (the runs in flight, then one range)', () => {
    const small = feed(10_000, 500);
    const large = feed(100_000, 500);
    expect(large.peak).toEqual(small.peak);
    expect(large.peak.openRuns).toBeLessThanOrEqual(500);
    expect(large.peak.endedRanges).toBeLessThanOrEqual(500);
    expect(large.final).toEqual({ series: 1, openRuns: 0, endedRanges: 1 });
    expect(large.allEnded).toBe(true);
    expect(large.check).toMatchObject({
      lost: 0,
      duplicated: 0,
      tasksStarted: 100_000,
      lostSample: [],
      duplicatedSample: [],
    });
    // 3 events, a task, a result and two status updates per run
    expect(large.check.records).toBe(100_000 * 7);
  });

  it('keeps nothing of runs that are not a load series (another producer on the topic)', () => {
    const ledger = new CompletionLedger();
    for (let i = 0; i < 1_000; i++) ledger.see(started(`run-${crypto.randomUUID()}`));
    for (let i = 0; i < 1_000; i++) ledger.see(started(`load-1234abcd-5678-${i}`));
    expect(ledger.size()).toEqual({ series: 0, openRuns: 0, endedRanges: 0 });
    expect(ledger.foreign).toBe(2_000);
  });
});

describe('CompletionLedger: lost and duplicated tasks', () => {
  const prefix = 'load-0badcafe-';
  const id = (i: number) => `${prefix}${i}`;

  it('a task started and never answered in a run that ended is lost', () => {
    const ledger = new CompletionLedger();
    ledger.see(started(id(0)));
    ledger.see({ runId: id(0), eventType: 'RUN_FAILED' });
    expect(ledger.size().openRuns).toBe(0); // judged when it ended
    expect(ledger.check({ prefix, count: 1 })).toMatchObject({
      lost: 1,
      duplicated: 0,
      lostSample: [`${id(0)}/${node}`],
    });
  });

  it('a run still open at the check, and a run never seen, are lost', () => {
    const ledger = new CompletionLedger();
    ledger.see(started(id(0)));
    ledger.see(completed(id(0)));
    ledger.see(runCompleted(id(0)));
    ledger.see(started(id(1))); // never answered, never ended
    expect(ledger.allEnded({ prefix, count: 3 })).toBe(false);
    const check = ledger.check({ prefix, count: 3 });
    expect(check).toMatchObject({ lost: 2, duplicated: 0, tasksStarted: 2 });
    expect(check.lostSample).toEqual([`${id(1)}/${node}`, `${id(2)}/(no events)`]);
  });

  it('a dead-lettered task is not lost', () => {
    const ledger = new CompletionLedger();
    ledger.see(started(id(0)));
    ledger.see({ runId: id(0), eventType: 'NODE_DEAD_LETTERED', nodeId: node });
    ledger.see({ runId: id(0), eventType: 'RUN_FAILED' });
    expect(ledger.check({ prefix, count: 1 })).toMatchObject({ lost: 0, duplicated: 0, tasksStarted: 1 });
  });

  it('a task completed twice before its run ended is duplicated', () => {
    const ledger = new CompletionLedger();
    ledger.see(started(id(0)));
    ledger.see(completed(id(0)));
    ledger.see(completed(id(0)));
    ledger.see(runCompleted(id(0)));
    expect(ledger.check({ prefix, count: 1 })).toMatchObject({
      lost: 0,
      duplicated: 1,
      duplicatedSample: [`${id(0)}/${node} ×2`],
    });
  });

  it('a completion read after its run ended (the run folded into a range) is duplicated', () => {
    const ledger = new CompletionLedger();
    for (let i = 0; i < 3; i++)
      for (const event of [started(id(i)), completed(id(i)), runCompleted(id(i))]) ledger.see(event);
    expect(ledger.size()).toEqual({ series: 1, openRuns: 0, endedRanges: 1 });
    ledger.see(completed(id(1)));
    expect(ledger.check({ prefix, count: 3 })).toMatchObject({
      lost: 0,
      duplicated: 1,
      duplicatedSample: [`${id(1)}/${node} (after its run ended)`],
    });
  });

  it('a task completed twice in a run still open at the check is duplicated', () => {
    const ledger = new CompletionLedger();
    ledger.see(started(id(0)));
    ledger.see(completed(id(0)));
    ledger.see(completed(id(0)));
    expect(ledger.check({ prefix, count: 1 })).toMatchObject({ lost: 0, duplicated: 1 });
  });

  it('keeps at most 20 examples however many are lost', () => {
    const ledger = new CompletionLedger();
    const check = ledger.check({ prefix, count: 1_000 });
    expect(check.lost).toBe(1_000);
    expect(check.lostSample).toHaveLength(20);
  });
});

describe('RangeSet', () => {
  it('merges out-of-order additions and lists what is missing', () => {
    const set = new RangeSet();
    for (const n of [5, 3, 0, 4, 1, 9, 9]) set.add(n);
    expect(set.ranges).toBe(3); // [0,2) [3,6) [9,10)
    expect([0, 1, 3, 4, 5, 9].every((n) => set.has(n))).toBe(true);
    expect([2, 6, 7, 8, 10].some((n) => set.has(n))).toBe(false);
    expect([...set.missing(12)]).toEqual([2, 6, 7, 8, 10, 11]);
    set.add(2);
    expect(set.ranges).toBe(2);
    for (const n of [6, 7, 8]) set.add(n);
    expect(set.ranges).toBe(1);
    expect([...set.missing(10)]).toEqual([]);
    expect([...set.missing(11)]).toEqual([10]);
  });
});

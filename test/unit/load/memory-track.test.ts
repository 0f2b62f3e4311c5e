import { describe, expect, it } from 'vitest';
import { MemoryTrack, Slope } from '../../../harness/load/memory.js';

// load's own memory figures: peaks, the RSS when the warm-up ended and the slope after it, from samples that
// are folded into sums rather than kept.

describe('Slope', () => {
  it('is the least-squares slope, and undefined without two distinct x', () => {
    const slope = new Slope();
    expect(slope.value()).toBeUndefined();
    slope.add(1, 10);
    slope.add(1, 12);
    expect(slope.value()).toBeUndefined();
    for (const x of [2, 3, 4]) slope.add(x, 10 + 2 * x);
    expect(slope.value()).toBeCloseTo(80 / 34, 10); // (1,10) (1,12) (2,14) (3,16) (4,18)
    const line = new Slope();
    for (const x of [0, 1, 5, 9]) line.add(x, 3 * x + 1);
    expect(line.value()).toBeCloseTo(3, 10);
  });
});

describe('MemoryTrack', () => {
  it('counts samples after the warm-up for the slope and every sample for the peaks', () => {
    const track = new MemoryTrack({ warmupMs: 60_000 });
    track.sample(30_000, { rssMb: 900, heapUsedMb: 300 }); // a warm-up peak: not in the slope
    for (let s = 60; s <= 180; s += 10) track.sample(s * 1000, { rssMb: 200 + (s - 60) / 60, heapUsedMb: 80 }); // +1 MB/min
    const summary = track.summary();
    expect(summary).toMatchObject({
      rssMb: 202,
      heapUsedMb: 80,
      rssPeakMb: 900,
      heapUsedPeakMb: 300,
      rssAfterWarmupMb: 200,
    });
    expect(summary.rssSlopeMbPerMin).toBe(1);
  });

  it('has no slope (null) for a run too short to have one', () => {
    const track = new MemoryTrack({ warmupMs: 60_000 });
    for (let s = 0; s < 65; s += 1) track.sample(s * 1000, { rssMb: 100 + s, heapUsedMb: 50 }); // 5 samples after the warm-up
    expect(track.summary()).toMatchObject({ rssAfterWarmupMb: 160, rssSlopeMbPerMin: null, rssMb: 164 });
  });
});

// The harness process's own memory during a load run, so a user tells growth in their executor's run apart
// from growth in ours. Samples are folded into running sums (a least-squares slope), not kept.

export interface MemorySample {
  /** Resident set of this process (engine, in-process executors and the observer's thread), MB. */
  readonly rssMb: number;
  /** V8 heap in use on this process's main thread, MB. */
  readonly heapUsedMb: number;
}

export interface MemorySummary extends MemorySample {
  readonly rssPeakMb: number;
  readonly heapUsedPeakMb: number;
  /** RSS when the warm-up ended (null: the run was shorter). */
  readonly rssAfterWarmupMb: number | null;
  /** Least-squares slope of RSS after the warm-up, MB per minute (null: fewer than 10 samples after it). */
  readonly rssSlopeMbPerMin: number | null;
}

const MB = 1024 * 1024;
const round1 = (x: number) => Math.round(x * 10) / 10;

export function sampleMemory(): MemorySample {
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: round1(rss / MB), heapUsedMb: round1(heapUsed / MB) };
}

/** Least-squares slope of y over x, from running sums. */
export class Slope {
  #n = 0;
  #sx = 0;
  #sy = 0;
  #sxx = 0;
  #sxy = 0;

  get count(): number {
    return this.#n;
  }

  add(x: number, y: number): void {
    this.#n++;
    this.#sx += x;
    this.#sy += y;
    this.#sxx += x * x;
    this.#sxy += x * y;
  }

  /** dy/dx, or undefined with fewer than two distinct x. */
  value(): number | undefined {
    const d = this.#n * this.#sxx - this.#sx * this.#sx;
    return this.#n < 2 || d === 0 ? undefined : (this.#n * this.#sxy - this.#sx * this.#sy) / d;
  }
}

export class MemoryTrack {
  readonly #warmupMs: number;
  readonly #slope = new Slope();
  #last: MemorySample = sampleMemory();
  #rssPeakMb = this.#last.rssMb;
  #heapUsedPeakMb = this.#last.heapUsedMb;
  #rssAfterWarmupMb: number | null = null;

  /** Samples before warmupMs (default 60 s) count for the peaks, not for the slope. */
  constructor({ warmupMs = 60_000 }: { readonly warmupMs?: number } = {}) {
    this.#warmupMs = warmupMs;
  }

  sample(elapsedMs: number, now: MemorySample = sampleMemory()): MemorySample {
    this.#last = now;
    this.#rssPeakMb = Math.max(this.#rssPeakMb, now.rssMb);
    this.#heapUsedPeakMb = Math.max(this.#heapUsedPeakMb, now.heapUsedMb);
    if (elapsedMs >= this.#warmupMs) {
      this.#rssAfterWarmupMb ??= now.rssMb;
      this.#slope.add(elapsedMs / 60_000, now.rssMb);
    }
    return now;
  }

  get last(): MemorySample {
    return this.#last;
  }

  summary(): MemorySummary {
    const slope = this.#slope.count >= 10 ? this.#slope.value() : undefined;
    return {
      ...this.#last,
      rssPeakMb: this.#rssPeakMb,
      heapUsedPeakMb: this.#heapUsedPeakMb,
      rssAfterWarmupMb: this.#rssAfterWarmupMb,
      rssSlopeMbPerMin: slope === undefined ? null : round1(slope),
    };
  }
}

import { randomBytes } from 'node:crypto';

// The lost/duplicate bookkeeping of a load run, apart from Kafka so it can be tested on synthetic events.
// A load run names its runs `<prefix><index>` (newSeriesPrefix, index 0, 1, 2, …): a run is kept in detail only while it is
// open (seen, not ended); once its end event is read it is judged and folded into counters and a set of
// index ranges. Memory follows the runs in flight, not the runs ever started.

/** The runs a load run started: `${prefix}0` … `${prefix}${count - 1}`. */
export interface RunSeries {
  readonly prefix: string;
  readonly count: number;
}

export interface CompletionCheck {
  /** Started tasks with no NODE_COMPLETED nor NODE_DEAD_LETTERED (a run with no event at all counts one). */
  readonly lost: number;
  /** Tasks completed more than once (a completion read after its run ended counts too). */
  readonly duplicated: number;
  /** Up to 20 of each, `runId/nodeId`, for the report. */
  readonly lostSample: readonly string[];
  readonly duplicatedSample: readonly string[];
  readonly tasksStarted: number;
  /** Records these runs put on Kafka: their events, tasks, results and two status updates per run. */
  readonly records: number;
}

/** How much the ledger holds: what must not grow with the runs ever started. */
export interface LedgerSize {
  readonly series: number;
  /** Runs seen and not ended. */
  readonly openRuns: number;
  /** Index ranges of ended runs (one when they ended in order). */
  readonly endedRanges: number;
}

interface OpenRun {
  readonly started: Set<string>;
  readonly completed: Map<string, number>;
  readonly dead: Set<string>;
}

export interface LedgerEvent {
  readonly runId: string;
  readonly eventType: string;
  readonly nodeId?: string;
}

const SAMPLE = 20;
/** `load-<8 hex>-<index>`: nothing else is kept (another producer's runs on the topic cannot grow the ledger). */
const SERIES_ID = /^(load-[0-9a-f]{8}-)(\d{1,15})$/;

/** A fresh series prefix for a load run's run ids. */
export function newSeriesPrefix(): string {
  return `load-${randomBytes(4).toString('hex')}-`;
}

/** Sorted, disjoint, half-open ranges of integers [start, end). */
export class RangeSet {
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];

  get ranges(): number {
    return this.#starts.length;
  }

  /** Index of the last range starting at or before n, or -1. */
  #at(n: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.#starts[mid]! <= n) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  has(n: number): boolean {
    const i = this.#at(n);
    return i >= 0 && n < this.#ends[i]!;
  }

  add(n: number): void {
    const i = this.#at(n);
    if (i >= 0 && n < this.#ends[i]!) return;
    const joinsLeft = i >= 0 && this.#ends[i] === n;
    const joinsRight = i + 1 < this.#starts.length && this.#starts[i + 1] === n + 1;
    if (joinsLeft && joinsRight) {
      this.#ends[i] = this.#ends[i + 1]!;
      this.#starts.splice(i + 1, 1);
      this.#ends.splice(i + 1, 1);
    } else if (joinsLeft) this.#ends[i] = n + 1;
    else if (joinsRight) this.#starts[i + 1] = n;
    else {
      this.#starts.splice(i + 1, 0, n);
      this.#ends.splice(i + 1, 0, n + 1);
    }
  }

  /** The integers of [0, count) not in the set, in order. */
  *missing(count: number): Generator<number> {
    let next = 0;
    for (let i = 0; i < this.#starts.length && next < count; i++) {
      for (; next < Math.min(this.#starts[i]!, count); next++) yield next;
      next = Math.max(next, this.#ends[i]!);
    }
    for (; next < count; next++) yield next;
  }
}

class Series {
  readonly ended = new RangeSet();
  readonly open = new Map<number, OpenRun>();
  events = 0;
  tasksStarted = 0;
  /** Tasks, results and status updates of the ended runs (their events are counted in `events`). */
  records = 0;
  lost = 0;
  duplicated = 0;
  readonly lostSample: string[] = [];
  readonly duplicatedSample: string[] = [];

  constructor(readonly prefix: string) {}

  see(index: number, event: LedgerEvent): void {
    this.events++;
    const node = event.nodeId ?? '';
    if (this.ended.has(index)) {
      // Its run's events share one partition and were read in order: a completion after the end is a second one.
      if (event.eventType === 'NODE_COMPLETED') this.#duplicate(`${event.runId}/${node} (after its run ended)`);
      return;
    }
    let run = this.open.get(index);
    if (!run) this.open.set(index, (run = { started: new Set(), completed: new Map(), dead: new Set() }));
    switch (event.eventType) {
      case 'NODE_STARTED':
        run.started.add(node);
        break;
      case 'NODE_COMPLETED':
        run.completed.set(node, (run.completed.get(node) ?? 0) + 1);
        break;
      case 'NODE_DEAD_LETTERED':
        run.dead.add(node);
        break;
      case 'RUN_COMPLETED':
      case 'RUN_FAILED':
        this.#judge(event.runId, run);
        this.open.delete(index);
        this.ended.add(index);
        break;
    }
  }

  #judge(runId: string, run: OpenRun): void {
    this.tasksStarted += run.started.size;
    let results = 0;
    for (const node of run.started) {
      const completed = run.completed.get(node) ?? 0;
      results += completed;
      if (completed === 0 && !run.dead.has(node)) this.#lost(`${runId}/${node}`);
      if (completed > 1) this.#duplicate(`${runId}/${node} ×${completed}`);
    }
    // tasks, results (one per completion) and two status updates
    this.records += run.started.size + results + 2;
  }

  #lost(what: string): void {
    this.lost++;
    if (this.lostSample.length < SAMPLE) this.lostSample.push(what);
  }

  #duplicate(what: string): void {
    this.duplicated++;
    if (this.duplicatedSample.length < SAMPLE) this.duplicatedSample.push(what);
  }

  /** Judge the runs of [0, count) that did not end (as they are now) on top of the ended ones. */
  check(count: number): CompletionCheck {
    const lostSample = [...this.lostSample];
    const duplicatedSample = [...this.duplicatedSample];
    let { lost, duplicated, tasksStarted, records } = this;
    for (const index of this.ended.missing(count)) {
      const runId = `${this.prefix}${index}`;
      const run = this.open.get(index);
      if (!run) {
        lost++;
        if (lostSample.length < SAMPLE) lostSample.push(`${runId}/(no events)`);
        continue;
      }
      tasksStarted += run.started.size;
      let results = 0;
      for (const node of run.started) {
        const completed = run.completed.get(node) ?? 0;
        results += completed;
        if (completed === 0 && !run.dead.has(node)) {
          lost++;
          if (lostSample.length < SAMPLE) lostSample.push(`${runId}/${node}`);
        }
        if (completed > 1) {
          duplicated++;
          if (duplicatedSample.length < SAMPLE) duplicatedSample.push(`${runId}/${node} ×${completed}`);
        }
      }
      records += run.started.size + results + 2;
    }
    return { lost, duplicated, lostSample, duplicatedSample, tasksStarted, records: records + this.events };
  }
}

export class CompletionLedger {
  readonly #series = new Map<string, Series>();
  /** Events of runs not named by newSeriesPrefix: not a load run's, counted and dropped. */
  foreign = 0;

  see(event: LedgerEvent): void {
    const match = SERIES_ID.exec(event.runId);
    if (!match) {
      this.foreign++;
      return;
    }
    const [, prefix, digits] = match as unknown as [string, string, string];
    let series = this.#series.get(prefix);
    if (!series) this.#series.set(prefix, (series = new Series(prefix)));
    series.see(Number(digits), event);
  }

  /** Every run of the series ended (its end event was read)? */
  allEnded({ prefix, count }: RunSeries): boolean {
    const series = this.#series.get(prefix);
    if (!series) return count === 0;
    return series.ended.missing(count).next().done === true;
  }

  check({ prefix, count }: RunSeries): CompletionCheck {
    return (this.#series.get(prefix) ?? new Series(prefix)).check(count);
  }

  size(): LedgerSize {
    let openRuns = 0;
    let endedRanges = 0;
    for (const series of this.#series.values()) {
      openRuns += series.open.size;
      endedRanges += series.ended.ranges;
    }
    return { series: this.#series.size, openRuns, endedRanges };
  }
}

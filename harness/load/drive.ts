import hdr from 'hdr-histogram-js';
import type { Admin } from '../clients/client-api.js';
import type { FakeEngine } from '../engine/engine.js';
import type { RunState } from '../engine/core.js';
import { consumerLag, totalLag } from '../topics/lag.js';
import { newSeriesPrefix } from './ledger.js';
import { MemoryTrack, type MemorySummary } from './memory.js';
import type { RunObserver } from './observer-thread.js';

// Drives runs through a started engine at a rate (or as fast as it can) and measures what came back:
// throughput, run latency from an HDR histogram, the executors' lag, and — from the events topic, read
// independently of the engine — tasks lost or completed twice. Used by `gamelan-harness load`,
// `npm run bench:throughput` and the bundled throughput scenario.

export interface LoadOptions {
  readonly engine: FakeEngine;
  readonly admin: Admin;
  /** Reads the events topic to count completions independently of the engine (a CompletionObserver, or one on its own thread). */
  readonly observer: RunObserver;
  /** The executors' consumer group and the tasks topic, for lag. */
  readonly executorGroup: string;
  readonly tasksTopic: string;
  readonly workflowId?: string;
  /** Stop starting runs after this many (default: unbounded, then durationMs must be given). */
  readonly runs?: number;
  /** Stop starting runs after this long. */
  readonly durationMs?: number;
  /** Runs started per second; undefined: as fast as the engine takes them (bounded by maxInFlight). */
  readonly rate?: number;
  /** Runs started but not ended, at most (default 5,000). */
  readonly maxInFlight?: number;
  /** How long to wait for the last runs to end (default 60 s); those still running then are lost. */
  readonly drainTimeoutMs?: number;
  /** Every progressIntervalMs (default 1,000). */
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly progressIntervalMs?: number;
  /** How often to sample the lag (default 500 ms; 0: never). */
  readonly lagIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Tenant ids cycle over this many (default 8). */
  readonly tenants?: number;
  /** Every task's context (what a real executor needs, e.g. `{ amount: 12.5 }`); `row` is set to the run's index. */
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface LoadProgress {
  readonly elapsedMs: number;
  readonly started: number;
  readonly ended: number;
  /** Runs ended per second over the last interval. */
  readonly rate: number;
  readonly inFlight: number;
  readonly lag: number | undefined;
  readonly p99Ms: number | undefined;
  /** This process's resident set and main-thread heap in use, MB. */
  readonly rssMb: number;
  readonly heapUsedMb: number;
}

export interface LatencySummary {
  readonly count: number;
  readonly minMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

export interface LoadReport {
  readonly workflowId: string;
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  /** From the first start to the last end. */
  readonly durationMs: number;
  /** From the last start to the last end. */
  readonly drainMs: number;
  readonly runsPerSecond: number;
  readonly tasksPerSecond: number;
  /** Every record the protocol put on Kafka for these runs (tasks, results, events, status), per second. */
  readonly messagesPerSecond: number;
  readonly latency: LatencySummary;
  readonly lagPeak: number;
  /** Runs that failed, start failures, publish failures. */
  readonly errors: readonly string[];
  /** Started tasks with no terminal event on the events topic (after the drain). */
  readonly lost: number;
  /** Tasks with more than one NODE_COMPLETED event. */
  readonly duplicated: number;
  /** Up to 20 lost and 20 duplicated tasks, `runId/nodeId`. */
  readonly lostSample: readonly string[];
  readonly duplicatedSample: readonly string[];
  /** The harness process's own memory (not the executor's, when it runs in its own process). */
  readonly memory: MemorySummary;
}

/** Record run latencies in microseconds, report milliseconds. */
export function createLatencyHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export function summarizeLatency(histogram: hdr.Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us / 10) / 100;
  // HDR answers a percentile with the top of its bucket (within 3 significant digits), which can lie above the
  // largest value recorded: no percentile is reported above the max.
  const at = (percentile: number) => ms(Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue));
  return {
    count: histogram.totalCount,
    minMs: ms(histogram.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : histogram.minNonZeroValue),
    meanMs: ms(histogram.mean),
    p50Ms: at(50),
    p90Ms: at(90),
    p99Ms: at(99),
    p999Ms: at(99.9),
    maxMs: ms(histogram.maxValue),
  };
}

export async function driveLoad(options: LoadOptions): Promise<LoadReport> {
  const { engine, admin, observer } = options;
  const workflowId = options.workflowId ?? 'bulk-import';
  if (options.runs === undefined && options.durationMs === undefined)
    throw new TypeError('driveLoad needs runs or durationMs');
  const maxInFlight = options.maxInFlight ?? 5_000;
  const tenants = options.tenants ?? 8;
  const histogram = createLatencyHistogram();
  // Only runs in flight are kept; the observer knows the others by their index in the series.
  const startedAt = new Map<string, number>();
  const errors: string[] = [];
  const runPrefix = newSeriesPrefix();
  const memory = new MemoryTrack();
  let started = 0;
  let ended = 0;
  let completed = 0;
  let failed = 0;
  let lagPeak = 0;
  let lastLag: number | undefined;
  let lastEndAt = 0;
  let wakeStarter: (() => void) | undefined;
  let allEnded: (() => void) | undefined;

  const offEnded = engine.onRunEnded((run: RunState) => {
    const t0 = startedAt.get(run.runId);
    if (t0 === undefined) return; // not one of ours
    startedAt.delete(run.runId);
    const now = performance.now();
    histogram.recordValue(Math.max(1, Math.round((now - t0) * 1000)));
    lastEndAt = now;
    ended++;
    if (run.status === 'COMPLETED') completed++;
    else {
      failed++;
      if (errors.length < 20)
        errors.push(
          `run ${run.runId} ${run.status}: ${[...run.nodes.values()]
            .map((n) => n.lastError)
            .filter(Boolean)
            .join('; ')}`,
        );
    }
    wakeStarter?.();
    if (doneStarting && ended === started) allEnded?.();
  });

  const t0 = performance.now();
  let doneStarting = false;
  let lagTimer: NodeJS.Timeout | undefined;
  const sampleLag = async () => {
    try {
      lastLag = totalLag(await consumerLag(admin, options.executorGroup, [options.tasksTopic]));
      lagPeak = Math.max(lagPeak, lastLag);
    } catch {
      // the group may not have committed yet
    }
    if (!stopped && (options.lagIntervalMs ?? 500) > 0)
      lagTimer = setTimeout(() => void sampleLag(), options.lagIntervalMs ?? 500);
  };
  let stopped = false;
  if ((options.lagIntervalMs ?? 500) > 0) void sampleLag();
  let lastProgress = { at: t0, ended: 0 };
  const memoryTimer = setInterval(() => memory.sample(performance.now() - t0), 1_000);
  const progressTimer = options.onProgress
    ? setInterval(() => {
        const now = performance.now();
        const rate = ((ended - lastProgress.ended) * 1000) / Math.max(1, now - lastProgress.at);
        lastProgress = { at: now, ended };
        options.onProgress!({
          ...memory.last,
          elapsedMs: now - t0,
          started,
          ended,
          rate,
          inFlight: started - ended,
          lag: lastLag,
          p99Ms: histogram.totalCount > 0 ? histogram.getValueAtPercentile(99) / 1000 : undefined,
        });
      }, options.progressIntervalMs ?? 1_000)
    : undefined;

  const startOne = () => {
    const index = started++;
    const runId = `${runPrefix}${index}`;
    startedAt.set(runId, performance.now());
    engine
      .startRun(workflowId, {
        runId,
        tenantId: `tenant-${index % tenants}`,
        context: { ...options.context, row: index },
      })
      .catch((error: unknown) => {
        if (errors.length < 20) errors.push(`start of ${runId} failed: ${(error as Error).message}`);
      });
  };

  try {
    const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : t0 + options.durationMs;
    const limit = options.runs ?? Number.POSITIVE_INFINITY;
    while (started < limit && performance.now() < deadline && !options.signal?.aborted) {
      const now = performance.now();
      const due = options.rate === undefined ? limit : Math.floor(((now - t0) / 1000) * options.rate) + 1;
      const room = maxInFlight - (started - ended);
      const n = Math.min(limit - started, due - started, room, 1_000);
      for (let i = 0; i < n; i++) startOne();
      if (room <= n || (options.rate === undefined && n === 0)) {
        // Full: wait for a run to end (or a tick).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5);
          wakeStarter = () => {
            clearTimeout(timer);
            wakeStarter = undefined;
            resolve();
          };
        });
      } else {
        // Let the sends and results of what was started go out before starting more.
        await new Promise((resolve) =>
          setTimeout(resolve, options.rate === undefined ? 0 : Math.max(1, Math.min(10, 1000 / options.rate))),
        );
      }
    }
    doneStarting = true;
    const lastStartAt = performance.now();
    if (ended < started) {
      const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainTimeoutMs);
        allEnded = () => {
          clearTimeout(timer);
          resolve();
        };
        options.signal?.addEventListener('abort', () => allEnded?.(), { once: true });
      });
    }
    const endAt = ended > 0 ? lastEndAt : performance.now();
    stopped = true;
    clearTimeout(lagTimer);
    if (progressTimer) clearInterval(progressTimer);
    clearInterval(memoryTimer);
    memory.sample(performance.now() - t0);
    await sampleLag().catch(() => undefined);
    // Count from the events topic: every started task ended exactly once?
    const check = await observer.check({ prefix: runPrefix, count: started }, { timeoutMs: 30_000 });
    const durationMs = Math.max(1, endAt - t0);
    const perSecond = (n: number) => Math.round((n * 1000 * 10) / durationMs) / 10;
    return {
      workflowId,
      started,
      completed,
      failed,
      durationMs: Math.round(durationMs),
      drainMs: Math.max(0, Math.round(endAt - lastStartAt)),
      runsPerSecond: perSecond(ended),
      tasksPerSecond: perSecond(check.tasksStarted),
      messagesPerSecond: perSecond(check.records),
      latency: summarizeLatency(histogram),
      lagPeak,
      errors,
      lost: Math.max(check.lost, started - ended),
      duplicated: check.duplicated,
      lostSample: check.lostSample,
      duplicatedSample: check.duplicatedSample,
      memory: memory.summary(),
    };
  } finally {
    stopped = true;
    clearTimeout(lagTimer);
    if (progressTimer) clearInterval(progressTimer);
    clearInterval(memoryTimer);
    offEnded();
    histogram.destroy();
  }
}

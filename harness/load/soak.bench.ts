// npm run bench:soak — a long `load` (runLoad: fake executors in this process, the observer on its own thread)
// on one native broker, with the memory of the harness process and of the broker's JVM over time: a line every
// SOAK_EVERY (10 s), then the RSS after the warm-up and at the end (each the mean of SOAK_EVERY of 1 s samples:
// one sample moves with every collection), the slope after the warm-up (MB/min), the throughput, latency and loss
// figures, and the machine. Exits 1 when a task was lost or completed twice, or the harness's RSS at the end is
// more than SOAK_TOLERANCE (10 %) above its value after the warm-up.
// Knobs: SOAK_RATE (tasks/s, default 1500), SOAK_DURATION (10m), SOAK_EXECUTORS (3), SOAK_WARMUP (60s),
// SOAK_EVERY (10s), SOAK_TOLERANCE (0.10), SOAK_HEAP_SNAPSHOTS=<dir> (a heap snapshot of the main thread when the
// warm-up ends and before the drain; each blocks the thread for seconds, so figures of such a run are not comparable).
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { StartedNativeBroker } from '../brokers/native/index.js';
import { findJava } from '../kafka-distribution/index.js';
import { startStack } from '../stack/start-stack.js';
import { Slope } from './memory.js';
import { runLoad } from './run-load.js';
import { parseDuration } from './slo.js';

const RATE = Number(process.env.SOAK_RATE ?? 1_500);
const DURATION_MS = parseDuration(process.env.SOAK_DURATION ?? '10m', 'SOAK_DURATION');
const EXECUTORS = Number(process.env.SOAK_EXECUTORS ?? 3);
const WARMUP_MS = parseDuration(process.env.SOAK_WARMUP ?? '60s', 'SOAK_WARMUP');
const EVERY_MS = parseDuration(process.env.SOAK_EVERY ?? '10s', 'SOAK_EVERY');
const TOLERANCE = Number(process.env.SOAK_TOLERANCE ?? 0.1);
const SNAPSHOTS = process.env.SOAK_HEAP_SNAPSHOTS;
for (const [name, value] of Object.entries({ SOAK_RATE: RATE, SOAK_EXECUTORS: EXECUTORS, SOAK_TOLERANCE: TOLERANCE })) {
  if (!(value > 0))
    throw new Error(`${name} ${JSON.stringify(process.env[name])} is not allowed: give a positive number.`);
}

/** VmRSS of a process in MB (Linux /proc); NaN elsewhere or when it is gone. */
function rssMbOf(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Math.round(kb / 102.4) / 10;
  } catch {
    return Number.NaN;
  }
}

const log = (message: string) => process.stderr.write(`▶ ${message}\n`);
const fmt = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x)
    ? '?'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const stack = await startStack({ kafka: 'native', onWarning: () => undefined });
try {
  const brokerPids = ((stack.broker as Partial<StartedNativeBroker>).nodes ?? []).map((n) => n.pid);
  const brokerRssMb = () => brokerPids.reduce((sum, pid) => sum + rssMbOf(pid), 0);
  const harnessSlope = new Slope();
  const brokerSlope = new Slope();
  type Sample = { readonly harnessRssMb: number; readonly brokerRssMb: number };
  const mean = (samples: readonly Sample[]): Sample => ({
    harnessRssMb: samples.reduce((sum, s) => sum + s.harnessRssMb, 0) / samples.length,
    brokerRssMb: samples.reduce((sum, s) => sum + s.brokerRssMb, 0) / samples.length,
  });
  const perWindow = Math.max(1, Math.round(EVERY_MS / 1000));
  /** The first window after the warm-up, and the latest window (a few samples, not the run's history). */
  const afterWarmup: Sample[] = [];
  const latest: Sample[] = [];
  let nextLine = EVERY_MS;
  let snapshotsTaken = 0;
  const snapshot = (name: string) => {
    if (!SNAPSHOTS) return;
    const file = writeHeapSnapshot(join(SNAPSHOTS, `soak-${name}.heapsnapshot`));
    snapshotsTaken++;
    log(`heap snapshot: ${file}`);
  };
  log(
    `soak: ${RATE}/s for ${DURATION_MS / 1000} s, ${EXECUTORS} fake executors; warm-up ${WARMUP_MS / 1000} s, a line every ${EVERY_MS / 1000} s`,
  );
  console.log(
    `${'s'.padStart(6)} ${'tasks/s'.padStart(8)} ${'in flight'.padStart(9)} ${'p99 ms'.padStart(8)} ${'answered'.padStart(10)} ${'harness rss'.padStart(12)} ${'heap'.padStart(8)} ${'broker rss'.padStart(11)}  MB`,
  );
  const report = await runLoad({
    broker: stack.broker,
    config: stack.config.gamelan,
    executors: EXECUTORS,
    rate: RATE,
    durationMs: DURATION_MS,
    onStep: (m) => log(m),
    onProgress: (p) => {
      const broker = brokerRssMb();
      latest.push({ harnessRssMb: p.rssMb, brokerRssMb: broker });
      if (latest.length > perWindow) latest.shift();
      if (p.elapsedMs >= WARMUP_MS) {
        if (afterWarmup.length === 0) snapshot('after-warmup');
        if (afterWarmup.length < perWindow) afterWarmup.push({ harnessRssMb: p.rssMb, brokerRssMb: broker });
        harnessSlope.add(p.elapsedMs / 60_000, p.rssMb);
        if (!Number.isNaN(broker)) brokerSlope.add(p.elapsedMs / 60_000, broker);
      }
      if (p.elapsedMs >= DURATION_MS - 2_000 && snapshotsTaken === 1) snapshot('end');
      if (p.elapsedMs < nextLine) return;
      nextLine += EVERY_MS;
      console.log(
        `${fmt(p.elapsedMs / 1000).padStart(6)} ${fmt(p.rate).padStart(8)} ${fmt(p.inFlight).padStart(9)} ${fmt(p.p99Ms, 1).padStart(8)} ${fmt(p.ended).padStart(10)} ` +
          `${fmt(p.rssMb).padStart(12)} ${fmt(p.heapUsedMb).padStart(8)} ${fmt(broker).padStart(11)}`,
      );
    },
  });
  const atWarmup = afterWarmup.length > 0 ? mean(afterWarmup) : undefined;
  const end = mean(latest);
  const cpu = cpus();
  const java = await findJava().catch(() => undefined);
  console.log(
    `\nmachine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, java ${java?.version ?? '?'} (native, 1 broker, ${stack.config.gamelan.partitions} partitions)`,
  );
  console.log(
    `load: ${fmt(report.started)} tasks at ${fmt(RATE)}/s for ${fmt(DURATION_MS / 1000)} s against ${report.executor}`,
  );
  console.log(
    `  throughput  ${fmt(report.runsPerSecond, 1)} tasks/s answered, ${fmt(report.messagesPerSecond)} protocol records/s over ${fmt(report.durationMs / 1000, 1)} s`,
  );
  const l = report.latency;
  console.log(
    `  latency ms  p50 ${fmt(l.p50Ms, 1)}  p90 ${fmt(l.p90Ms, 1)}  p99 ${fmt(l.p99Ms, 1)}  p99.9 ${fmt(l.p999Ms, 1)}  max ${fmt(l.maxMs, 1)}`,
  );
  console.log(
    `  answers     ${fmt(report.completed)} succeeded, ${fmt(report.failed)} failed; lost ${fmt(report.lost)}, duplicated ${fmt(report.duplicated)}; lag peak ${fmt(report.lagPeak)}`,
  );
  const change = (from: number | undefined, to: number) =>
    from === undefined ? '?' : `${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(1)} %`;
  const slope = (s: Slope) => {
    const v = s.count >= 2 ? s.value() : undefined;
    return v === undefined ? '?' : `${v >= 0 ? '+' : ''}${v.toFixed(2)} MB/min`;
  };
  console.log(
    `  harness     rss ${fmt(atWarmup?.harnessRssMb)} MB after ${WARMUP_MS / 1000} s → ${fmt(end.harnessRssMb)} MB at the end of the drive (${change(atWarmup?.harnessRssMb, end.harnessRssMb)}), slope after the warm-up ${slope(harnessSlope)}; peak rss ${fmt(report.memory.rssPeakMb)} MB, heap ${fmt(report.memory.heapUsedMb)} MB (peak ${fmt(report.memory.heapUsedPeakMb)})`,
  );
  console.log(
    `  broker JVM  rss ${fmt(atWarmup?.brokerRssMb)} MB after ${WARMUP_MS / 1000} s → ${fmt(end.brokerRssMb)} MB at the end of the drive (${change(atWarmup?.brokerRssMb, end.brokerRssMb)}), slope after the warm-up ${slope(brokerSlope)}`,
  );
  const flat = atWarmup !== undefined && end.harnessRssMb <= atWarmup.harnessRssMb * (1 + TOLERANCE);
  const clean = report.lost === 0 && report.duplicated === 0;
  console.log(
    `  verdict     harness rss ended ${flat ? 'at most' : 'MORE than'} ${(TOLERANCE * 100).toFixed(0)} % above its value after the warm-up; ${clean ? '0 lost, 0 duplicated' : 'tasks LOST or DUPLICATED'}`,
  );
  if (!flat || !clean) process.exitCode = 1;
} finally {
  await stack.stop();
}

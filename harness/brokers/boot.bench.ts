// npm run bench:boot — start→ready of the native broker, jars cached: median of 5 runs for 1 and
// 3 brokers, the JVMs' peak RSS, the start phases, and the effect of class-data sharing.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { execFileSync as run } from 'node:child_process';
import {
  ContainerBrokerProvider,
  NativeBrokerProvider,
  type StartedContainerBroker,
  type StartedNativeBroker,
} from './index.js';
import { findJava } from '../kafka-distribution/index.js';
import { BROKER_JVM_ARGS } from './kraft/index.js';

const RUNS = 5;

interface Run {
  readonly totalMs: number;
  readonly resolveMs: number;
  readonly prepareMs: number;
  readonly formatMs: number;
  readonly readyMs: number;
  /** Sum over the cluster's JVMs of VmHWM, MiB. */
  readonly peakRssMiB: number;
  readonly maxNodeRssMiB: number;
  readonly cds: string;
}

function vmHwmKiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function measure(brokers: number, env: NodeJS.ProcessEnv, runs = RUNS): Promise<Run[]> {
  const provider = new NativeBrokerProvider({ env });
  const out: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const broker: StartedNativeBroker = await provider.start({ brokers });
    const rss = broker.nodes.map((n) => vmHwmKiB(n.pid) / 1024);
    out.push({
      ...broker.timings,
      peakRssMiB: rss.reduce((a, b) => a + b, 0),
      maxNodeRssMiB: Math.max(...rss),
      cds: broker.cds,
    });
    await broker.stop();
  }
  return out;
}

function summarize(label: string, runs: readonly Run[]): Record<string, string | number> {
  const m = (key: keyof Run) => Math.round(median(runs.map((r) => r[key] as number)));
  return {
    case: label,
    'start→ready ms (median)': m('totalMs'),
    'min..max ms': `${Math.round(Math.min(...runs.map((r) => r.totalMs)))}..${Math.round(Math.max(...runs.map((r) => r.totalMs)))}`,
    'resolve ms': m('resolveMs'),
    'format ms': m('formatMs'),
    'JVM→ready ms': m('readyMs'),
    'peak RSS MiB (all JVMs)': m('peakRssMiB'),
    'peak RSS MiB (max node)': m('maxNodeRssMiB'),
    cds: runs[0]!.cds,
  };
}

const java = await findJava();
const bareJvm = (() => {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    execFileSync(java.path, [...BROKER_JVM_ARGS, '-version'], { stdio: 'ignore' });
    times.push(performance.now() - t);
  }
  return Math.round(median(times));
})();

console.log('gamelan-kafka-harness boot benchmark');
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
);
console.log(`node ${process.version}, java ${java.version} (${java.path})`);
console.log(`bare JVM start+exit (java -version, broker flags): ${bareJvm} ms\n`);

// Warm-up: jars cached, launcher built, and (first time only) the CDS archive recorded.
await measure(1, process.env, 1);

const results = [
  summarize('1 broker', await measure(1, process.env)),
  summarize('1 broker, CDS off', await measure(1, { ...process.env, GAMELAN_KAFKA_CDS: '0' })),
  summarize('3 brokers', await measure(3, process.env)),
];
console.table(results);

const one = results[0]!;
const share = (key: string) => Math.round((100 * Number(one[key])) / Number(one['start→ready ms (median)']));
console.log(
  `\nWhat dominates (1 broker): the broker JVM from spawn to admin-ready ${share('JVM→ready ms')}%, ` +
    `the storage-format JVM ${share('format ms')}%, resolving jars/java ${share('resolve ms')}%. ` +
    `A bare JVM starts in ${bareJvm} ms, so the time is class loading and Kafka's own startup (KRaft election, ` +
    `broker registration/unfencing); CDS removes most class loading and saves ` +
    `${Number(results[1]!['start→ready ms (median)']) - Number(one['start→ready ms (median)'])} ms per start here. ` +
    `3 brokers: 3 JVMs (and 3 format JVMs) share 2 cores, so their start is CPU-bound.`,
);
// The container provider, same machine, same run: when an engine answers and a Kafka image is present.
const containers = new ContainerBrokerProvider();
const containerWhyNot = await containers.unavailableReason();
if (containerWhyNot) {
  console.log(`\ncontainer provider: skipped (${containerWhyNot}; run scripts/container-setup.sh)`);
} else {
  const measureContainer = async (brokers: number, runs: number) => {
    const out: { totalMs: number; createMs: number; readyMs: number; peakRssMiB: number; image: string }[] = [];
    for (let i = 0; i < runs; i++) {
      const broker: StartedContainerBroker = await containers.start({ brokers });
      // The JVM is the container's PID 1 (the entrypoint execs it); its host pid gives the same VmHWM as native.
      const rss = broker.containerIds.map(
        (id) =>
          vmHwmKiB(Number(run('docker', ['inspect', '--format', '{{.State.Pid}}', id], { encoding: 'utf8' }).trim())) /
          1024,
      );
      out.push({ ...broker.timings, peakRssMiB: rss.reduce((a, b) => a + b, 0), image: broker.image });
      await broker.stop();
    }
    return out;
  };
  await measureContainer(1, 1); // warm-up: page cache for the image's jars
  const rows = [];
  for (const [label, brokers, runs] of [
    ['container, 1 broker', 1, 3],
    ['container, 3 brokers', 3, 3],
  ] as const) {
    const r = await measureContainer(brokers, runs);
    const m = (f: (x: (typeof r)[number]) => number) => Math.round(median(r.map(f)));
    rows.push({
      case: label,
      'start→ready ms (median)': m((x) => x.totalMs),
      'min..max ms': `${Math.round(Math.min(...r.map((x) => x.totalMs)))}..${Math.round(Math.max(...r.map((x) => x.totalMs)))}`,
      'create+start ms': m((x) => x.createMs),
      'JVM→ready ms': m((x) => x.readyMs),
      'peak RSS MiB (all JVMs)': m((x) => x.peakRssMiB),
      image: r[0]!.image,
    });
  }
  console.log('\ncontainer provider (testcontainers; same server.properties and JVM flags as native, no CDS):');
  console.table([
    {
      case: 'native, 1 broker',
      'start→ready ms (median)': one['start→ready ms (median)'],
      'peak RSS MiB (all JVMs)': one['peak RSS MiB (all JVMs)'],
    },
    ...rows,
  ]);
}
console.log(
  `Aim: one broker ready in under 2000 ms → ${Number(one['start→ready ms (median)']) < 2000 ? 'met' : 'NOT met'}.`,
);

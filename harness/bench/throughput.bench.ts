// npm run bench:throughput — on one native broker, in one run, side by side:
//   Kafka's own ProducerPerformance, ConsumerPerformance and EndToEndLatency (the cached Kafka jars),
//   batched produce and consume per client adapter, and the harness end to end (one-node runs through the
//   FakeEngine and in-process FakeExecutors: runs/s, tasks/s, messages/s, p50/p99 run latency).
// Prints a table with the ratios and the machine. Knobs: BENCH_RECORDS (Kafka/kafkajs records, default
// 200,000), BENCH_RUNS (harness runs, default 20,000), BENCH_EXECUTORS (default 3), BENCH_RECORD_BYTES (400).
// The kafkajs rows are one per client adapter (stock kafkajs, the harness's copy, @platformatic/kafka where Node
// runs it); the harness end to end runs on GAMELAN_KAFKA_CLIENT (run it once per value to compare).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { delimiter } from 'node:path';
import { execa } from 'execa';
import hdr from 'hdr-histogram-js';
import { FakeEngine } from '../engine/engine.js';
import { startChildExecutor } from '../executors/child-executor.js';
import { FakeExecutor } from '../executors/executor.js';
import { behaviours } from '../executors/handler.js';
import { findJava, kafkaVersion, resolveKafkaJars } from '../kafka-distribution/index.js';
import { driveLoad, summarizeLatency, type LoadReport } from '../load/drive.js';
import { KEEP_ENDED_RUNS } from '../load/run-load.js';
import { CompletionObserver } from '../load/observer.js';
import { startObserverThread } from '../load/observer-thread.js';
import { startStack } from '../stack/start-stack.js';
import { waitFor } from '../wait.js';
import { FAST_PATHS_SWITCH } from '../clients/kafkajs-fast-paths.js';
import { fastPaths } from '../clients/kafkajs.js';
import type { KafkaClient } from '../clients/client-api.js';
import { chooseClient, platformaticNodeProblem } from '../clients/client-choice.js';
import { createClient } from '../clients/create-client.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20_000);
const EXECUTORS = Number(process.env.BENCH_EXECUTORS ?? 3);
const RECORD_BYTES = Number(process.env.BENCH_RECORD_BYTES ?? 400);
const LATENCY_RECORDS = 2_000;
/** BENCH_ONLY=harness skips the Kafka tools and kafkajs (for profiling the harness). */
const ONLY_HARNESS = process.env.BENCH_ONLY === 'harness';
const EXECUTORS_IN_PROCESSES = process.env.BENCH_EXECUTORS_IN === 'process';
/** BENCH_OBSERVER=inline keeps the completion observer on the engine's thread (default: its own thread). */
const OBSERVER_INLINE = process.env.BENCH_OBSERVER === 'inline';

interface Row {
  readonly what: string;
  readonly perSecond: number;
  readonly unit: string;
  readonly p50Ms?: number | undefined;
  readonly p99Ms?: number | undefined;
  readonly note?: string;
}

const rows: Row[] = [];

/** CPU milliseconds the processes used so far (Linux /proc, user + system at 100 ticks/s); NaN elsewhere. */
function processCpuMs(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + statCpuMs(`/proc/${pid}/stat`), 0);
}
/**
 * CPU used by this process's main thread alone (the engine's thread; its task id is the pid): unlike wall time
 * and event-loop busy time, it does not grow when other processes take the cores, so A/B runs compare.
 */
const engineThreadCpuMs = () => statCpuMs(`/proc/self/task/${process.pid}/stat`);
/** utime + stime of a /proc stat file, in ms (clock ticks of 10 ms); NaN where /proc is missing. */
function statCpuMs(file: string): number {
  try {
    const fields = readFileSync(file, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
const log = (message: string) => process.stderr.write(`▶ ${message}\n`);

/** The client adapters the produce/consume rows compare; a string where one cannot run here (why). */
function clientAdapters(): {
  kind: 'stock-kafkajs' | 'harness-kafkajs' | 'platformatic';
  label: string;
  client: KafkaClient | string;
}[] {
  const servers = [...stack.broker.bootstrapServers];
  const stock = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
  return [
    {
      kind: 'stock-kafkajs',
      label: 'kafkajs (stock)',
      client: new stock.Kafka({
        clientId: 'bench-stock-kafkajs',
        brokers: servers,
        logLevel: stock.logLevel.NOTHING,
      }) as unknown as KafkaClient,
    },
    {
      kind: 'harness-kafkajs',
      label: `kafkajs (harness copy, ${fastPaths.record ? 'its encoders' : 'stock encoders'})`,
      client: createClient({
        kind: 'kafkajs',
        clientId: 'bench-kafkajs',
        brokers: servers,
        security: stack.broker.security,
      }),
    },
    {
      kind: 'platformatic',
      label: '@platformatic/kafka',
      client:
        platformaticNodeProblem() ??
        createClient({
          kind: 'platformatic',
          clientId: 'bench-platformatic',
          brokers: servers,
          security: stack.broker.security,
        }),
    },
  ];
}

/** RECORDS records in awaited sends of 1,000 (acks all), then one group member reads them back (eachBatch). */
async function produceAndConsume(
  kafka: KafkaClient,
  topic: string,
  partitions: number,
): Promise<{ produce: number; consume: number; batchLatency: { p50Ms: number; p99Ms: number } }> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.alloc(RECORD_BYTES, 'x');
  const sendLatency = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const t0 = performance.now();
  for (let sent = 0; sent < RECORDS; sent += 1_000) {
    const b0 = performance.now();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: Math.min(1_000, RECORDS - sent) }, (_, i) => ({ key: String(sent + i), value })),
    });
    sendLatency.recordValue(Math.max(1, Math.round((performance.now() - b0) * 1000)));
  }
  const produce = (RECORDS * 1000) / (performance.now() - t0);
  const batchLatency = summarizeLatency(sendLatency);
  sendLatency.destroy();
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}.consumer`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let read = 0;
  let first = 0;
  const allRead = new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: partitions,
      eachBatch: async ({ batch }) => {
        if (read === 0) first = performance.now();
        read += batch.messages.length;
        if (read >= RECORDS) resolve();
      },
    });
  });
  await allRead;
  const consume = (RECORDS * 1000) / (performance.now() - first);
  await consumer.disconnect();
  return { produce, consume, batchLatency };
}

const stack = await startStack({ kafka: 'native', onWarning: () => undefined });
try {
  const servers = stack.broker.bootstrapServers.join(',');
  const admin = await stack.broker.admin();
  const partitions = stack.config.gamelan.partitions;
  const benchTopics = ['bench.kafka-perf', 'bench.kafka-e2e'];
  await admin.createTopics({
    waitForLeaders: false,
    topics: benchTopics.map((topic) => ({
      topic,
      numPartitions: topic === 'bench.kafka-e2e' ? 1 : partitions,
      replicationFactor: 1,
    })),
  });
  await waitFor(
    async () => ((await Promise.all(benchTopics.map((t) => admin.fetchTopicOffsets(t)))).length ? true : undefined),
    {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'leaders of the bench topics',
    },
  );
  const [java, jars] = await Promise.all([findJava(), resolveKafkaJars({ version: kafkaVersion(undefined) })]);
  const javaVersion = java.version;
  const tool = async (mainClass: string, args: readonly string[]) =>
    (await execa(java.path, ['-cp', jars.jars.join(delimiter), mainClass, ...args], { timeout: 300_000 })).stdout;

  let kafkaProducerRate = Number.NaN;
  let kafkajsProduce = Number.NaN;
  let p50 = Number.NaN;
  let p99 = Number.NaN;
  if (!ONLY_HARNESS) {
    // 1. Kafka's own producer: acks=all, its defaults otherwise (linger.ms=5, batch.size=16 KiB, no compression).
    log(`Kafka ProducerPerformance: ${RECORDS} records of ${RECORD_BYTES} B, acks=all`);
    const produced = await tool('org.apache.kafka.tools.ProducerPerformance', [
      '--topic',
      'bench.kafka-perf',
      '--num-records',
      String(RECORDS),
      '--record-size',
      String(RECORD_BYTES),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${servers}`,
      'acks=all',
    ]);
    // "200000 records sent, 31000.1 records/sec (11.8 MB/sec), 850.3 ms avg latency, …, 812 ms 50th, 1200 ms 95th, 1300 ms 99th, …"
    const summary = produced.trim().split('\n').at(-1) ?? '';
    kafkaProducerRate = Number(/([\d.]+) records\/sec/.exec(summary)?.[1]);
    rows.push({
      what: 'Kafka ProducerPerformance (acks=all)',
      perSecond: kafkaProducerRate,
      unit: 'records/s',
      p50Ms: Number(/(\d+) ms 50th/.exec(summary)?.[1]),
      p99Ms: Number(/(\d+) ms 99th/.exec(summary)?.[1]),
      note: 'send→ack latency under full load',
    });

    // 2. Kafka's own consumer, reading what ProducerPerformance wrote.
    log('Kafka ConsumerPerformance');
    const consumed = await tool('org.apache.kafka.tools.ConsumerPerformance', [
      '--bootstrap-server',
      servers,
      '--topic',
      'bench.kafka-perf',
      '--messages',
      String(RECORDS),
    ]);
    // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    const csv = consumed
      .trim()
      .split('\n')
      .at(-1)!
      .split(',')
      .map((s) => s.trim());
    rows.push({
      what: 'Kafka ConsumerPerformance',
      perSecond: Number(csv[9] ?? csv[5]),
      unit: 'records/s',
      note: 'fetch rate (excluding the group join)',
    });

    // 3. Kafka's own end-to-end latency: one record at a time, produce → consume.
    log(`Kafka EndToEndLatency: ${LATENCY_RECORDS} round trips`);
    const e2e = await tool('org.apache.kafka.tools.EndToEndLatency', [
      servers,
      'bench.kafka-e2e',
      String(LATENCY_RECORDS),
      'all',
      String(RECORD_BYTES),
    ]);
    const avg = Number(/Avg latency: ([\d.]+) ms/.exec(e2e)?.[1]);
    p50 = Number(/50th = ([\d.]+)/.exec(e2e)?.[1]);
    p99 = Number(/99th = ([\d.]+)/.exec(e2e)?.[1]);
    rows.push({
      what: 'Kafka EndToEndLatency (one at a time)',
      perSecond: 1000 / avg,
      unit: 'round trips/s',
      p50Ms: p50,
      p99Ms: p99,
    });

    // 4. Each client adapter, batches of 1,000 awaited one after the other, acks=all; then one consumer reads them
    // (eachBatch): stock kafkajs (node_modules/kafkajs as published), the harness's kafkajs copy (its fixes and
    // encoders), and @platformatic/kafka where this Node runs it. Same broker, same run, one topic each.
    for (const adapter of clientAdapters()) {
      if (typeof adapter.client === 'string') {
        rows.push({
          what: `${adapter.label} produce`,
          perSecond: Number.NaN,
          unit: 'records/s',
          note: `not measured: ${adapter.client}`,
        });
        continue;
      }
      const topic = `bench.client.${adapter.kind}`;
      await admin.createTopics({
        waitForLeaders: false,
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      });
      await waitFor(
        async () => ((await admin.fetchTopicOffsets(topic).catch(() => [])).length === partitions ? true : undefined),
        { timeoutMs: 30_000, intervalMs: 100, description: `leaders of ${topic}` },
      );
      const measured = await produceAndConsume(adapter.client, topic, partitions);
      if (adapter.kind === 'harness-kafkajs') kafkajsProduce = measured.produce;
      rows.push({
        what: `${adapter.label} produce, batches of 1,000 (acks=all)`,
        perSecond: measured.produce,
        unit: 'records/s',
        p50Ms: measured.batchLatency.p50Ms,
        p99Ms: measured.batchLatency.p99Ms,
        note: 'latency per batch',
      });
      rows.push({
        what: `${adapter.label} consume (eachBatch)`,
        perSecond: measured.consume,
        unit: 'records/s',
        note: 'from the first batch',
      });
    }
  }

  // 5. The harness end to end: one-node runs (bulk-import), engine and executors in this process.
  const config = stack.config.gamelan;
  // The harness's own clients: GAMELAN_KAFKA_CLIENT (kafkajs by default), as `run` and `load` choose them.
  const harnessClient = chooseClient(undefined);
  log(
    `harness: ${RUNS} one-node runs, engine + ${EXECUTORS} ${EXECUTORS_IN_PROCESSES ? 'child-process' : 'in-process'} executors (linger.ms=${config.producer.lingerMs}, batch.size=${config.producer.batchSize}, max.poll.records=${config.consumer.maxPollRecords})`,
  );
  const client = (clientId: string) => stack.broker.kafka(clientId);
  const engine = await FakeEngine.start({ kafka: client('bench-engine'), config, keepEndedRuns: KEEP_ENDED_RUNS });
  // BENCH_EXECUTORS_IN=process: each executor in its own Node process (what a deployment has), so the engine's
  // process no longer pays for decoding tasks and encoding results.
  const executors: { stop(): Promise<void> }[] = await Promise.all(
    Array.from({ length: EXECUTORS }, (_, i) =>
      EXECUTORS_IN_PROCESSES
        ? startChildExecutor({
            bootstrapServers: stack.broker.bootstrapServers,
            config,
            executorType: 'import-executor',
          })
        : FakeExecutor.start({
            kafka: client(`bench-executor-${i}`),
            config,
            executorType: 'import-executor',
            handler: behaviours.succeed(),
          }),
    ),
  );
  // The observer reads every event to count lost and twice-completed tasks: the load generator's bookkeeping, on its own thread.
  const observer = OBSERVER_INLINE
    ? await CompletionObserver.start(client('bench-observer'), config.events.topic)
    : await startObserverThread({
        bootstrapServers: stack.broker.bootstrapServers,
        security: stack.broker.security,
        topic: config.events.topic,
      });
  let report: LoadReport;
  const cpu0 = process.cpuUsage();
  const loop0 = performance.eventLoopUtilization();
  let engineThreadBusy = Number.NaN;
  let cpuMsPerRun = Number.NaN;
  // The broker shares the machine: its CPU per run says how far the cores allow the harness to go.
  const brokerPids = ((stack.broker as { readonly nodes?: readonly { readonly pid?: number }[] }).nodes ?? []).flatMap(
    (n) => (n.pid ? [n.pid] : []),
  );
  const brokerCpu0 = processCpuMs(brokerPids);
  let brokerCpuMsPerRun = Number.NaN;
  const engineThreadCpu0 = engineThreadCpuMs();
  let engineThreadCpuMsPerRun = Number.NaN;
  try {
    report = await driveLoad({
      engine,
      admin,
      observer,
      executorGroup: config.consumer.groupId,
      tasksTopic: config.tasks.topic,
      runs: RUNS,
      lagIntervalMs: 1_000,
      onProgress: (p) =>
        log(`  ${p.ended}/${RUNS} runs ended, ${Math.round(p.rate)}/s, ${p.inFlight} in flight, lag ${p.lag ?? '?'}`),
    });
    const cpuUsed = process.cpuUsage(cpu0);
    cpuMsPerRun = (cpuUsed.user + cpuUsed.system) / 1000 / RUNS;
    engineThreadBusy = performance.eventLoopUtilization(loop0).utilization;
    brokerCpuMsPerRun = (processCpuMs(brokerPids) - brokerCpu0) / RUNS;
    engineThreadCpuMsPerRun = (engineThreadCpuMs() - engineThreadCpu0) / RUNS;
  } finally {
    await observer.stop();
    await Promise.allSettled(executors.map((e) => e.stop()));
    await engine.stop();
  }
  rows.push({
    what: `harness one-node runs end to end (${harnessClient})`,
    perSecond: report.runsPerSecond,
    unit: 'runs/s',
    p50Ms: report.latency.p50Ms,
    p99Ms: report.latency.p99Ms,
    note: 'start → result applied',
  });
  rows.push({ what: 'harness tasks', perSecond: report.tasksPerSecond, unit: 'tasks/s' });
  rows.push({
    what: 'harness protocol records (tasks, results, events, status)',
    perSecond: report.messagesPerSecond,
    unit: 'records/s',
  });

  // The table.
  const cpu = cpus();
  console.log(
    `\nmachine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, java ${javaVersion}, Kafka ${jars.version} (native, 1 broker, ${partitions} partitions)`,
  );
  console.log(
    `records of ${RECORD_BYTES} B for Kafka and kafkajs (${RECORDS}); harness: ${RUNS} runs, ${EXECUTORS} executors, spec defaults (snappy, acks=all)\n`,
  );
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (n: number | undefined) =>
    n === undefined || Number.isNaN(n) ? '' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
  console.log(
    `${pad('what', 74)} ${'per second'.padStart(12)} ${pad('unit', 14)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  note`,
  );
  for (const r of rows)
    console.log(
      `${pad(r.what, 74)} ${num(r.perSecond).padStart(12)} ${pad(r.unit, 14)} ${num(r.p50Ms).padStart(8)} ${num(r.p99Ms).padStart(8)}  ${r.note ?? ''}`,
    );
  const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(1)} %`;
  console.log('\nratios');
  console.log(
    `  harness records/s ÷ Kafka producer records/s:   ${ratio(report.messagesPerSecond, kafkaProducerRate)}  (target ≥ 25 %)`,
  );
  console.log(`  harness records/s ÷ kafkajs batched produce:    ${ratio(report.messagesPerSecond, kafkajsProduce)}`);
  console.log(`  kafkajs batched produce ÷ Kafka producer:       ${ratio(kafkajsProduce, kafkaProducerRate)}`);
  console.log(`  harness runs/s: ${num(report.runsPerSecond)} (target ≥ 2,000, aim 5,000)`);
  console.log(
    `  harness run p50 / p99: ${report.latency.p50Ms} / ${report.latency.p99Ms} ms; Kafka end-to-end p50 / p99: ${p50} / ${p99} ms`,
  );
  console.log(
    `  CPU of this process (engine, executors, observer${OBSERVER_INLINE ? '' : ' on its own thread'}) per run: ${cpuMsPerRun.toFixed(2)} ms; of the broker: ${brokerCpuMsPerRun.toFixed(2)} ms`,
  );
  console.log(
    `  the engine's thread was busy ${(engineThreadBusy * 100).toFixed(0)} % of the time (100 %: it is the limit), at ${engineThreadCpuMsPerRun.toFixed(3)} ms of its own CPU per run`,
  );
  const ceiling = (cpus().length * 1000) / (cpuMsPerRun + brokerCpuMsPerRun);
  console.log(
    `  what ${cpus().length} cores allow at that CPU per run (harness + broker, nothing else running): ${num(ceiling)} runs/s`,
  );
  console.log(
    `  kafkajs drop-ins in place (clients/kafkajs-fast-paths.ts): ${Object.entries(fastPaths)
      .map(([name, on]) => `${name} ${on ? 'yes' : 'NO'}`)
      .join(', ')} (${FAST_PATHS_SWITCH}=off: stock kafkajs)`,
  );
  console.log(
    `  lost ${report.lost}, completed twice ${report.duplicated}, failed runs ${report.failed}, lag peak ${report.lagPeak}`,
  );
  if (report.lost > 0 || report.duplicated > 0) process.exitCode = 1;
} finally {
  await stack.stop();
}

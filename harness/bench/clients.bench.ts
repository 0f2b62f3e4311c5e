// The client adapters side by side on one native broker, through the harness's client interface (createClient):
// produce (acks all, snappy, BENCH_RECORD_BYTES-byte records in sends of BENCH_BATCH, BENCH_IN_FLIGHT sends at a
// time) and consume from the beginning (one group member, per-partition batches, a commit per batch), rounds
// interleaved so both adapters see the same machine load. platformatic is measured where it runs (Node 22.22+ or
// 24.6+). Run: npx tsx harness/bench/clients.bench.ts (with Node 24 first on PATH for both rows).
// Knobs: BENCH_RECORDS (default 100,000), BENCH_ROUNDS (2), BENCH_BATCH (1,000), BENCH_IN_FLIGHT (4), BENCH_RECORD_BYTES (400).
import { cpus, totalmem } from 'node:os';
import { COMPRESSION, type ClientKind, type KafkaClient } from '../clients/client-api.js';
import { platformaticNodeProblem } from '../clients/client-choice.js';
import { createClient } from '../clients/create-client.js';
import { startStack } from '../stack/start-stack.js';
import { waitFor } from '../wait.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4);
const RECORD_BYTES = Number(process.env.BENCH_RECORD_BYTES ?? 400);
const PARTITIONS = 3;

const kinds: ClientKind[] = ['kafkajs', ...(platformaticNodeProblem() ? [] : (['platformatic'] as const))];
if (kinds.length === 1) process.stderr.write(`▶ platformatic not measured: ${platformaticNodeProblem()}\n`);

async function produce(client: KafkaClient, topic: string): Promise<number> {
  const producer = client.producer();
  await producer.connect();
  const value = Buffer.alloc(RECORD_BYTES, 'x');
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < RECORDS) {
      const start = next;
      next += BATCH;
      const messages = Array.from({ length: Math.min(BATCH, RECORDS - start) }, (_, i) => ({
        key: `run-${start + i}`,
        value,
      }));
      await producer.send({ topic, acks: -1, compression: COMPRESSION.snappy, messages });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const seconds = (performance.now() - t0) / 1_000;
  await producer.disconnect();
  return RECORDS / seconds;
}

async function consume(client: KafkaClient, topic: string): Promise<number> {
  const consumer = client.consumer({ groupId: `bench-${topic}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  const t0 = performance.now();
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: String(BigInt(batch.messages.at(-1)!.offset) + 1n) },
      ]);
    },
  });
  await waitFor(() => (seen >= RECORDS ? true : undefined), {
    timeoutMs: 300_000,
    intervalMs: 20,
    description: `${RECORDS} records consumed`,
    describeLast: () => `${seen}`,
  });
  const seconds = (performance.now() - t0) / 1_000;
  await consumer.disconnect();
  return RECORDS / seconds;
}

const stack = await startStack({ kafka: 'native', onWarning: () => undefined });
const { broker } = stack;
const results = new Map<ClientKind, { produce: number[]; consume: number[] }>(
  kinds.map((k) => [k, { produce: [], consume: [] }]),
);
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      const client = createClient({
        kind,
        clientId: `bench-${kind}`,
        brokers: broker.bootstrapServers,
        security: broker.security,
      });
      const admin = client.admin();
      await admin.connect();
      const topic = `bench.clients.${kind}.${round}`;
      // Leaders awaited by reading offsets (kafkajs's waitForLeaders gives up when the topic is not known yet).
      await admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
        waitForLeaders: false,
      });
      await waitFor(
        async () => ((await admin.fetchTopicOffsets(topic).catch(() => [])).length === PARTITIONS ? true : undefined),
        { timeoutMs: 30_000, description: `leaders of ${topic}` },
      );
      await admin.disconnect();
      const r = results.get(kind)!;
      r.produce.push(await produce(client, topic));
      r.consume.push(await consume(client, topic));
      process.stderr.write(
        `▶ round ${round + 1} ${kind}: produce ${Math.round(r.produce.at(-1)!)}/s, consume ${Math.round(r.consume.at(-1)!)}/s\n`,
      );
    }
  }
} finally {
  await stack.stop();
}

const fmt = (xs: number[]) => xs.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ');
console.log(
  `\nClient adapters, ${RECORDS.toLocaleString('en-US')} records of ${RECORD_BYTES} B, acks all, snappy, sends of ${BATCH} (${IN_FLIGHT} in flight), ${PARTITIONS} partitions, ${ROUNDS} interleaved rounds`,
);
console.log('| client | produce records/s (per round) | consume records/s (per round) |');
console.log('|---|---|---|');
for (const [kind, r] of results) console.log(`| ${kind} | ${fmt(r.produce)} | ${fmt(r.consume)} |`);
console.log(
  `\nNode ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);

import { delimiter } from 'node:path';
import type { KafkaClient as Kafka } from '../../../harness/clients/client-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { CompressionTypes } from '../../../harness/clients/kafkajs.js';
import { ResultConsumer } from '../../../harness/clients/index.js';
import { topicNames, type GamelanKafkaConfig } from '../../../harness/config/index.js';
import { checkConformance } from '../../../harness/conformance/index.js';
import { FakeExecutor } from '../../../harness/executors/executor.js';
import { findJava, kafkaVersion, resolveKafkaJars } from '../../../harness/kafka-distribution/index.js';
import type { TaskResultMessage } from '../../../harness/protocol/index.js';
import { FlowRecorder } from '../../../harness/recorder/recorder.js';
import { readTopic } from '../../../harness/topics/read-topic.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';
import { createTopics, testConfig } from './support.js';

// The engine dispatcher (and every Java producer with kafka.compression.type=snappy) writes snappy-compressed
// batches. Every harness path that reads upstream records must read them: conformance (readTopic), the flow
// recorder, the fake executors (TaskConsumer) and the fake engine's result reader (ResultConsumer). The records are
// written by Kafka's own Java producer (snappy-java, xerial framing: what a Gamelan service sends) and by the
// harness's kafkajs copy (raw snappy blocks), so both framings are read.
let broker: StartedBroker;
let kafka: Kafka;
let brokers: string;
let javaMissing: string | undefined;

const AT = '2026-01-01T10:00:00Z';
const TOKEN = 'tok-7f3a9c1e2b4d';

const task = (runId: string, nodeId: string) => ({
  taskId: `${runId}:${nodeId}:1`,
  runId,
  nodeId,
  attempt: 1,
  executionToken: TOKEN,
  context: { amount: 42, note: 'x'.repeat(2_000) }, // compressible: the batch really is smaller
  targetExecutor: 'payments',
  scheduledAt: AT,
});
const result = (runId: string, nodeId: string) => ({
  runId,
  nodeId,
  attempt: 1,
  status: 'COMPLETED',
  output: { ok: true },
  error: null,
  executionToken: TOKEN,
  completedAt: AT,
});
const event = (runId: string, i: number) => {
  const eventId = `evt-${runId}-${i}`;
  return {
    eventId,
    runId,
    tenantId: 'system',
    eventType: 'NodeStarted',
    occurredAt: AT,
    eventData: { eventType: 'NodeStarted', eventId, runId, occurredAt: AT },
  };
};

/** Produce `key|json` lines with Kafka's own console producer, snappy-compressed (the Java client's framing). */
async function javaProduce(
  topic: string,
  records: ReadonlyArray<{ key: string | null; value: unknown }>,
): Promise<void> {
  const [java, jars] = await Promise.all([
    findJava(process.env),
    resolveKafkaJars({ version: kafkaVersion(undefined, process.env), env: process.env }),
  ]);
  const { execa } = await import('execa');
  const input = records.map((r) => `${r.key ?? ''}|${JSON.stringify(r.value)}`).join('\n') + '\n';
  await execa(
    java.path,
    [
      '-Xshare:auto',
      '-XX:TieredStopAtLevel=1',
      '-cp',
      jars.jars.join(delimiter),
      'org.apache.kafka.tools.ConsoleProducer',
      '--bootstrap-server',
      brokers,
      '--topic',
      topic,
      '--producer-property',
      'compression.type=snappy',
      '--producer-property',
      'linger.ms=50',
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=|',
      '--property',
      'null.marker=',
    ],
    { input, timeout: 60_000 },
  );
}

async function kafkajsProduce(
  topic: string,
  records: ReadonlyArray<{ key: string | null; value: unknown }>,
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      compression: CompressionTypes.Snappy,
      acks: -1,
      messages: records.map((r) => ({ key: r.key, value: JSON.stringify(r.value) })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Produce snappy batches both ways (Java when a JDK and the Kafka jars are here). */
async function produceSnappy(
  topic: string,
  records: ReadonlyArray<{ key: string | null; value: unknown }>,
): Promise<number> {
  const half = Math.ceil(records.length / 2);
  await kafkajsProduce(topic, records.slice(0, half));
  if (javaMissing === undefined) await javaProduce(topic, records.slice(half));
  else await kafkajsProduce(topic, records.slice(half));
  return records.length;
}

/**
 * What a kafkajs without a snappy codec (the kafkajs package as shipped) says when it reads a topic: that the
 * batches are snappy is then certain (kafkajs names the codec it lacks).
 */
async function readWithoutSnappy(topic: string): Promise<string> {
  const { Kafka: PlainKafka, logLevel } = await import('kafkajs');
  const plain = new PlainKafka({
    clientId: 'no-snappy',
    brokers: [...broker.bootstrapServers],
    logLevel: logLevel.NOTHING,
  });
  const consumer = plain.consumer({ groupId: uniqueTopic('no-snappy') });
  let crash: string | undefined;
  let last = 'no crash yet';
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    last = `${payload.error.name}: ${payload.error.message}`;
    if (/compression/i.test(last)) crash ??= last; // a coordinator still loading is retried; the codec is not
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    return await waitFor(() => crash, {
      timeoutMs: 30_000,
      description: `the plain kafkajs consumer of ${topic} to fail on the codec`,
      describeLast: () => last,
    });
  } finally {
    await consumer.disconnect();
  }
}

let config: GamelanKafkaConfig;
const runIds = Array.from({ length: 6 }, (_, i) => `run-snappy-${i}`);

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = broker.kafka('snappy-test');
  brokers = broker.bootstrapServers.join(',');
  javaMissing = await findJava(process.env).then(
    () => undefined,
    (error: Error) => error.message,
  );
  if (javaMissing) console.warn(`[note] snappy test: no JDK (${javaMissing}); every snappy batch comes from kafkajs`);
  config = testConfig(uniqueTopic('snappy'));
  await createTopics(await broker.admin(), config); // the broker's shared admin: it closes it
  const names = topicNames(config);
  await produceSnappy(
    names.tasks,
    runIds.map((runId) => ({ key: runId, value: task(runId, 'charge') })),
  );
  await produceSnappy(
    names.results,
    runIds.map((runId) => ({ key: runId, value: result(runId, 'ship') })),
  );
  await produceSnappy(
    names.events,
    runIds.map((runId, i) => ({ key: null, value: event(runId, i) })),
  );
}, 180_000);
afterAll(() => broker?.stop());

describe('snappy-compressed upstream records are read everywhere', () => {
  it('the records really are in snappy batches: a kafkajs without the codec cannot read them', async () => {
    for (const role of ['tasks', 'results', 'events'] as const)
      expect(await readWithoutSnappy(topicNames(config)[role])).toMatch(/Snappy compression not implemented/);
  }, 90_000);

  it('conformance reads them and they conform to upstream', async () => {
    const admin = await broker.admin();
    const report = await checkConformance({
      kafka,
      admin,
      bootstrapServers: broker.bootstrapServers,
      topics: topicNames(config),
      dialect: 'upstream',
    });
    const byRole = Object.fromEntries(report.topics.map((t) => [t.role, t]));
    expect(byRole.tasks).toMatchObject({ records: runIds.length, conforming: runIds.length });
    expect(byRole.results).toMatchObject({ records: runIds.length, conforming: runIds.length });
    expect(byRole.events).toMatchObject({ records: runIds.length, conforming: runIds.length });
    expect(report.verdict).toBe('conforms');
  }, 60_000);

  it("tail/dlq's reader (readTopic) reads every record", async () => {
    const values: string[] = [];
    await readTopic(
      kafka,
      await broker.admin(),
      topicNames(config).tasks,
      ({ message }) => void values.push(message.value!.toString()),
      { fromBeginning: true },
    );
    expect(values.map((v) => (JSON.parse(v) as { runId: string }).runId).sort()).toEqual([...runIds].sort());
  }, 60_000);

  it('the flow recorder decodes them in upstream', async () => {
    await using recorder = await FlowRecorder.start({ kafka, config, dialect: 'upstream' });
    await waitFor(() => (recorder.messages().length >= runIds.length * 3 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'every snappy record recorded',
      describeLast: () => `${recorder.messages().length} records`,
    });
    expect(
      recorder
        .messages()
        .filter((m) => m.decodeError !== undefined)
        .map((m) => m.decodeError),
    ).toEqual([]);
    expect(recorder.messages((m) => m.role === 'tasks').map((m) => (m.value as { token: string }).token)).toEqual(
      runIds.map(() => TOKEN),
    );
  }, 60_000);

  it("a fake executor in upstream answers the snappy tasks, and the engine's result reader reads snappy results", async () => {
    const answered: TaskResultMessage[] = [];
    const reader = await ResultConsumer.start({
      kafka,
      config,
      dialect: 'upstream',
      groupId: uniqueTopic('engine-results'),
      handler: async (r) => void answered.push(r),
    });
    try {
      await using executor = await FakeExecutor.start({
        kafka,
        config,
        dialect: 'upstream',
        executorType: 'payments',
        groupId: uniqueTopic('executors'),
        handler: async () => ({ paid: true }),
      });
      await waitFor(() => (executor.stats().succeeded >= runIds.length ? true : undefined), {
        timeoutMs: 30_000,
        description: 'every snappy task answered',
        describeLast: () => JSON.stringify(executor.stats()),
      });
      expect(executor.consumerStats()).toMatchObject({ rejected: 0 });
      // The Java producer's 6 results (node "ship") and the executor's 6 (node "charge"), all read.
      await waitFor(() => (answered.length >= runIds.length * 2 ? true : undefined), {
        timeoutMs: 30_000,
        description: 'every result read',
        describeLast: () => `${answered.length}`,
      });
      expect(new Set(answered.map((r) => `${r.runId}/${r.nodeId}/${r.status}`))).toEqual(
        new Set(runIds.flatMap((runId) => [`${runId}/ship/SUCCESS`, `${runId}/charge/SUCCESS`])),
      );
      expect(reader.stats()).toMatchObject({ rejected: 0 });
    } finally {
      await reader.stop();
    }
  }, 90_000);

  it('a recorder or consumer on a kafkajs without the codec fails with TOPIC_READ_FAILED and the fix, not a silent wait', async () => {
    const { Kafka: PlainKafka, logLevel } = await import('kafkajs');
    const plain = new PlainKafka({
      clientId: 'no-snappy-user',
      brokers: [...broker.bootstrapServers],
      logLevel: logLevel.NOTHING,
    });
    await using recorder = await FlowRecorder.start({ kafka: plain, config, dialect: 'upstream' });
    const waited = Date.now();
    const error = await recorder
      .waitForMessage(() => true, 30_000, 'any record')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(Date.now() - waited).toBeLessThan(25_000);
    expect(error).toMatchObject({ name: 'TopicError', code: 'TOPIC_READ_FAILED' });
    expect((error as Error).message).toMatch(
      /^FlowRecorder: snappy-compressed batches on .* cannot be read: this kafkajs client has no snappy codec.*kafkajsClient\(config\)/,
    );
    expect(recorder.failure).toBe(error);

    const consumer = await ResultConsumer.start({
      kafka: plain,
      config,
      dialect: 'upstream',
      groupId: uniqueTopic('plain-results'),
      handler: async () => undefined,
    });
    try {
      const failure = await waitFor(() => consumer.failure, {
        timeoutMs: 30_000,
        description: 'the plain consumer to fail on snappy',
      });
      expect(failure).toMatchObject({
        code: 'TOPIC_READ_FAILED',
        message: expect.stringMatching(/^ResultConsumer: snappy-compressed batches on .*results/),
      });
      expect(consumer.stats()).toMatchObject({ handled: 0 });
    } finally {
      await consumer.stop();
    }
  }, 90_000);
});

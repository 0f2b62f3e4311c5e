import type { Admin, Producer } from '../../../harness/clients/client-api.js';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { TopicError } from '../../../harness/errors.js';
import {
  brokerAddresses,
  NetworkFaults,
  type StartedToxiproxy,
  startToxiproxy,
} from '../../../harness/faults/index.js';
import { readTopic } from '../../../harness/topics/read-topic.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';

// readTopic (what `tail` and `dlq` read with) against a real broker whose connection to the reader is cut by the
// built-in fault proxy: a crash kafkajs restarts from is reported and the read goes on, each record handed over
// once; restarts in a row beyond the bound fail the read with TOPIC_READ_FAILED.

let broker: StartedBroker;
let admin: Admin;
let toxiproxy: StartedToxiproxy;
let faults: NetworkFaults;
let producer: Producer;
const LANE = 'reader';

/** A client that reaches the broker only through the reader's proxy lane, and gives up on a request quickly. */
const readerKafka = () =>
  new Kafka({
    clientId: 'read-topic-test',
    brokers: [...broker.bootstrapServers],
    socketFactory: faults.socketFactory(LANE),
    requestTimeout: 1_500,
    connectionTimeout: 1_000,
    retry: { retries: 1, initialRetryTime: 100 },
    logLevel: logLevel.NOTHING,
  });

async function write(topic: string, values: readonly string[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
}

beforeAll(async () => {
  broker = await startTestBroker();
  admin = await broker.admin();
  toxiproxy = await startToxiproxy({ kind: 'builtin' });
  faults = await NetworkFaults.create({ toxiproxy, brokers: await brokerAddresses(admin), clients: [LANE] });
  producer = broker.kafka('read-topic-writer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await faults?.stop();
  await toxiproxy?.stop();
  await broker?.stop();
});

describe('readTopic when its consumer crashes', () => {
  it('reads on through a restart: the warning is given, and every record is handed over once', async () => {
    const topic = uniqueTopic('read-restart');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    const before = Array.from({ length: 6 }, (_, i) => `before-${i}`);
    const after = Array.from({ length: 6 }, (_, i) => `after-${i}`);
    await write(topic, before);
    const handed: string[] = [];
    const restarts: string[] = [];
    const abort = new AbortController();
    const read = readTopic(readerKafka(), admin, topic, ({ message }) => handed.push(String(message.value)), {
      follow: true,
      signal: abort.signal,
      onRestart: (error) => restarts.push(error.message),
    });
    read.catch(() => undefined); // awaited below
    await waitFor(() => (handed.length >= before.length ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the records written before the cut',
    });

    const cut = await faults.down({ client: LANE });
    await waitFor(() => (restarts.length > 0 ? true : undefined), {
      timeoutMs: 60_000,
      description: 'a consumer restart while the connection is cut',
    });
    await cut.remove();
    await write(topic, after);
    await waitFor(() => (handed.length >= before.length + after.length ? true : undefined), {
      timeoutMs: 60_000,
      description: 'the records written after the cut',
    });
    abort.abort();

    expect(await read).toBe(before.length + after.length);
    expect(restarts.length).toBeGreaterThan(0);
    expect(handed).toHaveLength(new Set(handed).size); // none twice, though the restarted consumer may fetch again
    expect([...handed].sort()).toEqual([...before, ...after].sort());
  });

  it('fails with TOPIC_READ_FAILED after more restarts in a row than allowed, naming the topic', async () => {
    const topic = uniqueTopic('read-give-up');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await write(topic, ['one']);
    const handed: string[] = [];
    const restarts: number[] = [];
    const abort = new AbortController();
    const read = readTopic(readerKafka(), admin, topic, ({ message }) => handed.push(String(message.value)), {
      follow: true,
      signal: abort.signal,
      maxRestarts: 1,
      onRestart: (_, inARow) => restarts.push(inARow),
    });
    read.catch(() => undefined); // awaited below
    await waitFor(() => (handed.length === 1 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the first record',
    });
    const cut = await faults.down({ client: LANE });
    try {
      const error = await read.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TopicError);
      expect(error).toMatchObject({ code: 'TOPIC_READ_FAILED', retriable: true });
      expect((error as Error).message).toContain(topic);
      expect((error as Error).message).toMatch(/crashed 2 times in a row/);
      expect(restarts).toEqual([1]);
    } finally {
      abort.abort();
      await cut.remove();
    }
  });
});

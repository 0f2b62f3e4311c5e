import type {
  KafkaClient,
  ProducedMessage,
  ProducerOptions,
  ProducerRecord,
} from '../../../harness/clients/client-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkflowEvent } from '../../../fixtures/builders/index.js';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { EventPublisher } from '../../../harness/clients/index.js';
import { type GamelanKafkaConfig, topicNames } from '../../../harness/config/index.js';
import { partitionForKey } from '../../../harness/protocol/index.js';
import { startTestBroker } from '../../support/broker.js';
import { createTopics, PARTITIONS, readTopic, testConfig } from './support.js';

// kafkajs 2.2.4 can answer a send without some of its partitions: a leader that moved during the send's retries
// to a broker that had already answered it is skipped (producer/sendMessages.js), and those records are never
// written. The protocol producers must send them again, not report them sent. A real broker and a real kafkajs
// producer, with that fault put in the client: the chosen requests go out without one partition's records (so
// the broker never gets them) and come back without its answer, exactly as kafkajs does it. What reached the
// topic is then read back.

let broker: StartedBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.stop();
});

/** Run ids whose records go to partitions 0, 1 and 2 (Java's partitioner). */
function runIdsByPartition(): string[] {
  const found: string[] = [];
  for (let i = 0; found.filter(Boolean).length < PARTITIONS; i++)
    found[partitionForKey(`run-${i}`, PARTITIONS)] ??= `run-${i}`;
  return found;
}

const partitionOf = (message: ProducedMessage) => message.partition ?? partitionForKey(String(message.key), PARTITIONS);

/**
 * A real kafkajs client whose producers leave out the records of `dropped(request number)` partitions from those
 * requests, and so from kafkajs' answer. Counts the requests and what each carried.
 */
function droppingKafka(dropped: (request: number) => readonly number[]) {
  const requests: { partitions: number[]; dropped: readonly number[] }[] = [];
  const real = broker.kafka('producer-answers');
  const kafka = Object.create(real) as KafkaClient;
  kafka.producer = (config?: ProducerOptions) => {
    const producer = real.producer(config);
    const send = producer.send.bind(producer);
    // kafkajs puts every record of a send on its partition before it skips a broker: so does this fault.
    const partitioner = config?.createPartitioner?.();
    const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }));
    producer.send = (record: ProducerRecord) => {
      const drop = dropped(requests.length + 1);
      requests.push({ partitions: record.messages.map(partitionOf), dropped: drop });
      for (const message of record.messages) partitioner?.({ topic: record.topic, partitionMetadata, message });
      const messages = record.messages.filter((m) => !drop.includes(partitionOf(m)));
      return messages.length === 0 ? Promise.resolve([]) : send({ ...record, messages });
    };
    return producer;
  };
  return { kafka, requests };
}

const event = (runId: string) => buildWorkflowEvent({ runId, eventType: 'NODE_STARTED' });

describe('protocol producers when kafkajs answers without some partitions', () => {
  let config: GamelanKafkaConfig;
  let n = 0;
  const fresh = async (overrides: Partial<GamelanKafkaConfig['producer']> = {}) => {
    const base = testConfig(`answers-${++n}`);
    config = { ...base, producer: { ...base.producer, ...overrides } };
    await createTopics(await broker.admin(), config, ['events']);
    return topicNames(config).events;
  };
  /** (partition, offset) → the record's runId, as the topic holds it. */
  const onTopic = async (topic: string, count: number) =>
    new Map(
      (await readTopic(broker.kafka('answers-reader'), topic, count)).map((r) => [
        `${r.partition}@${r.offset}`,
        JSON.parse(String(r.value)).runId as string,
      ]),
    );

  it('sends the records of a partition left out again, on that partition: each written once, at the offset send() gave', async () => {
    const topic = await fresh();
    const runIds = runIdsByPartition();
    const { kafka, requests } = droppingKafka((request) => (request === 1 ? [1] : []));
    await using publisher = await EventPublisher.connect({ kafka, config });
    const order = [...runIds, runIds[1]!];
    const sent = await Promise.all(order.map((runId) => publisher.send(event(runId))));

    expect(requests.map((r) => r.partitions)).toEqual([
      [0, 1, 2, 1],
      [1, 1],
    ]); // the second: only what was not written
    expect(sent.map((s) => s.partition)).toEqual([0, 1, 2, 1]);
    const written = await onTopic(topic, order.length);
    expect(written.size).toBe(order.length);
    expect(sent.map((s) => written.get(`${s.partition}@${s.offset}`))).toEqual(order);
  });

  it('keeps trying while answers leave the partition out; a later record of it waits behind and follows it', async () => {
    const topic = await fresh({ lingerMs: 0 });
    const [, runId] = runIdsByPartition();
    const { kafka, requests } = droppingKafka((request) => (request <= 3 ? [0, 1, 2] : []));
    await using publisher = await EventPublisher.connect({ kafka, config });
    const first = publisher.send(event(runId!));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = publisher.send(event(runId!));
    const [a, b] = await Promise.all([first, second]);

    expect([a.partition, b.partition]).toEqual([1, 1]);
    expect(BigInt(b.offset)).toBe(BigInt(a.offset) + 1n);
    // Four tries of the first record (backoff 100, 200, 400 ms), then the second one on its own request.
    expect(requests.map((r) => r.partitions.length)).toEqual([1, 1, 1, 1, 1]);
    const written = await onTopic(topic, 2);
    expect(written.size).toBe(2);
  });

  it('sendBatch too: every partition is answered, every record written once', async () => {
    const topic = await fresh();
    const runIds = runIdsByPartition();
    const { kafka, requests } = droppingKafka((request) => (request === 1 ? [2] : []));
    await using publisher = await EventPublisher.connect({ kafka, config });
    const answers = await publisher.sendBatch(runIds.map(event));
    expect(requests.map((r) => r.partitions)).toEqual([[0, 1, 2], [2]]);
    expect(answers.map((a) => a.partition).sort()).toEqual([0, 1, 2]);
    expect([...(await onTopic(topic, 3)).values()].sort()).toEqual([...runIds].sort());
  });

  it('with acks 0 there is no answer to check: one request, no offset', async () => {
    await fresh({ acks: '0' });
    const { kafka, requests } = droppingKafka(() => []);
    await using publisher = await EventPublisher.connect({ kafka, config });
    await expect(publisher.send(event('run-a'))).resolves.toMatchObject({ offset: '-1' });
    expect(requests).toHaveLength(1);
  });
});

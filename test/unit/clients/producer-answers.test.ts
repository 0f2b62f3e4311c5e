import type { Kafka, Message, PartitionerArgs, PartitionMetadata, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { buildWorkflowEvent } from '../../../fixtures/builders/index.js';
import { EventPublisher } from '../../../harness/clients/events.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig } from '../../../harness/config/index.js';
import { partitionForKey } from '../../../harness/protocol/index.js';

// What a protocol producer does with kafkajs' answer to a produce request, on a fake kafkajs producer (no
// broker): kafkajs 2.2.4 can answer a send without some of its partitions (a leader that moved during its
// retries to a broker that had already answered that send is skipped, producer/sendMessages.js); those
// records were never written, so they must be sent again, not reported as sent.

const PARTITIONS = 3;
const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, i) => ({ partitionErrorCode: 0, partitionId: i, leader: i + 1, replicas: [i + 1], isr: [i + 1] }));

/** Run ids whose records go to partitions 0, 1 and 2 (Java's partitioner over 3 partitions). */
function runIdsByPartition(): string[] {
  const found: string[] = [];
  for (let i = 0; found.filter(Boolean).length < PARTITIONS; i++) {
    const runId = `run-${i}`;
    found[partitionForKey(runId, PARTITIONS)] ??= runId;
  }
  return found;
}

interface FakeRequest {
  readonly acks: number | undefined;
  readonly messages: readonly Message[];
  /** The partition each message was put on (the producer's partitioner, as kafkajs calls it). */
  readonly partitions: readonly number[];
}

/** A kafkajs client whose producer answers each send with `answer` (default: every partition it wrote). */
function fakeKafka(answer: (request: FakeRequest, attempt: number) => readonly number[] = (r) => r.partitions) {
  const requests: FakeRequest[] = [];
  const offsets = new Map<number, number>();
  const kafka = {
    producer(config: ProducerConfig) {
      const partitioner = config.createPartitioner!();
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        send: async (record: ProducerRecord): Promise<RecordMetadata[]> => {
          await new Promise((resolve) => setImmediate(resolve));
          const partitions = record.messages.map((message) => partitioner({ topic: record.topic, partitionMetadata, message } as PartitionerArgs));
          const request = { acks: record.acks, messages: record.messages, partitions };
          requests.push(request);
          if (record.acks === 0) return [];
          return [...new Set(answer(request, requests.length))].map((partition) => {
            const baseOffset = offsets.get(partition) ?? 0;
            offsets.set(partition, baseOffset + partitions.filter((p) => p === partition).length);
            return { topicName: record.topic, partition, errorCode: 0, baseOffset: String(baseOffset) };
          });
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, requests };
}

const event = (runId: string) => buildWorkflowEvent({ runId, eventType: 'NODE_STARTED' });

describe('protocol producers and kafkajs answers without some partitions', () => {
  it('send the records of a partition left out of the answer again, on that partition, and resolve with their offsets', async () => {
    const runIds = runIdsByPartition();
    // The first request is answered for partitions 0 and 2 only: partition 1's records were not written.
    const fake = fakeKafka((request, attempt) => (attempt === 1 ? request.partitions.filter((p) => p !== 1) : request.partitions));
    await using publisher = await EventPublisher.connect({ kafka: fake.kafka });
    const sent = await Promise.all([...runIds, runIds[1]!].map((runId) => publisher.send(event(runId))));

    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.partitions).toEqual([0, 1, 2, 1]);
    expect(fake.requests[1]!.partitions).toEqual([1, 1]); // only what was not written, in its order
    expect(fake.requests[1]!.messages.map((m) => m.partition)).toEqual([1, 1]);
    expect(sent.map((s) => [s.partition, s.offset])).toEqual([
      [0, '0'],
      [1, '0'],
      [2, '0'],
      [1, '1'],
    ]);
  });

  it('keep trying while answers leave a partition out, and keep its later records behind it', async () => {
    const [, runId] = runIdsByPartition();
    let leftOut = 3;
    const fake = fakeKafka((request) => (leftOut-- > 0 ? [] : request.partitions));
    const config: GamelanKafkaConfig = { ...DEFAULT_CONFIG, producer: { ...DEFAULT_CONFIG.producer, lingerMs: 0 } };
    await using publisher = await EventPublisher.connect({ kafka: fake.kafka, config });
    const first = publisher.send(event(runId!));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = publisher.send(event(runId!));
    await expect(first).resolves.toMatchObject({ partition: 1, offset: '0' });
    await expect(second).resolves.toMatchObject({ partition: 1, offset: '1' });
    // Four tries of the first record (backoff 100, 200, 400 ms), then the second one on its own request.
    expect(fake.requests.map((r) => r.messages.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('sendBatch too: the records of a partition left out are sent again, and every partition is answered', async () => {
    const runIds = runIdsByPartition();
    const fake = fakeKafka((request, attempt) => (attempt === 1 ? request.partitions.filter((p) => p !== 2) : request.partitions));
    await using publisher = await EventPublisher.connect({ kafka: fake.kafka });
    const answers = await publisher.sendBatch(runIds.map(event));
    expect(fake.requests.map((r) => r.partitions)).toEqual([[0, 1, 2], [2]]);
    expect(answers.map((a) => a.partition).sort()).toEqual([0, 1, 2]);
  });

  it('with acks 0 there is no answer to wait for: one request, no offsets', async () => {
    const fake = fakeKafka();
    const config: GamelanKafkaConfig = { ...DEFAULT_CONFIG, producer: { ...DEFAULT_CONFIG.producer, acks: '0' } };
    await using publisher = await EventPublisher.connect({ kafka: fake.kafka, config });
    await expect(publisher.send(event('run-a'))).resolves.toMatchObject({ offset: '-1' });
    expect(fake.requests).toHaveLength(1);
  });
});

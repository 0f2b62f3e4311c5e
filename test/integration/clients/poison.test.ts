import type { Admin, Producer } from '../../../harness/clients/client-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStatusUpdate, buildTask } from '../../../fixtures/builders/index.js';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import {
  DeadLetterHandler,
  StatusConsumer,
  TaskConsumer,
  type RecordContext,
  type RejectedRecord,
} from '../../../harness/clients/index.js';
import { TOPIC_ROLES } from '../../../harness/vocabulary.js';
import {
  type DeadLetterMessage,
  DLT_HEADERS,
  encodeMessage,
  encodeRecord,
  partitionForKey,
  type StatusUpdateMessage,
  type TaskMessage,
} from '../../../harness/protocol/index.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker } from '../../support/broker.js';
import { committedOffset, createTopics, PARTITIONS, readTopic, testConfig } from './support.js';

let broker: StartedBroker;
let admin: Admin;
let raw: Producer;

beforeAll(async () => {
  broker = await startTestBroker();
  admin = await broker.admin();
  raw = broker.kafka('raw-producer').producer({ allowAutoTopicCreation: false });
  await raw.connect();
});

afterAll(async () => {
  await raw?.disconnect();
  await broker?.stop();
});

const until = (description: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000) =>
  waitFor(async () => ((await probe()) ? true : undefined), { timeoutMs, description });

/** Send raw bytes to one partition (a poison record or a good one), as a foreign producer would. */
async function sendRaw(
  topic: string,
  partition: number,
  key: string | null,
  value: Buffer | null,
  headers: Record<string, string | Buffer> = {},
) {
  const [meta] = await raw.send({ topic, acks: -1, messages: [{ partition, key, value, headers }] });
  return meta!.baseOffset!;
}

const RUN = 'run-poison-1';
const P = partitionForKey(RUN, PARTITIONS);
const good = (attempt: number) => buildTask({ runId: RUN, nodeId: 'n', attempt }, { seed: attempt });
const goodBytes = (attempt: number) => encodeRecord('tasks', good(attempt));

const header = (h: Record<string, Buffer>, name: string) => h[name]?.toString('utf8');

describe('poison records on the tasks topic', () => {
  it('each poison case lands in the DLQ with original bytes and kafka_dlt headers, and the consumer keeps consuming', async () => {
    const config = testConfig('clients-poison');
    await createTopics(admin, config);
    const taskJson = encodeMessage('TaskMessage', good(1));
    const poison: Array<{
      name: string;
      key: string | null;
      value: Buffer | null;
      reason: string;
      path: string | undefined;
      message: RegExp;
    }> = [
      {
        name: 'not JSON',
        key: RUN,
        value: Buffer.from('{"taskId": oops'),
        reason: 'MESSAGE_DECODE_FAILED',
        path: undefined,
        message: /value is not JSON/,
      },
      {
        name: 'not UTF-8',
        key: RUN,
        value: Buffer.from([0xc3, 0x28, 0xff]),
        reason: 'MESSAGE_DECODE_FAILED',
        path: undefined,
        message: /not valid UTF-8/,
      },
      {
        name: 'schema failure',
        key: RUN,
        value: Buffer.from(JSON.stringify({ ...taskJson, attempt: -3 })),
        reason: 'MESSAGE_INVALID',
        path: '$.attempt',
        message: /^TaskMessage at \$\.attempt: must be ≥ 0 \(got -3\)$/,
      },
      {
        name: 'missing key',
        key: null,
        value: Buffer.from(JSON.stringify(taskJson)),
        reason: 'MESSAGE_KEY_INVALID',
        path: '$.runId',
        message: /record has no key/,
      },
      {
        name: 'wrong key',
        key: 'run-someone-else',
        value: Buffer.from(JSON.stringify(taskJson)),
        reason: 'MESSAGE_KEY_INVALID',
        path: '$.runId',
        message: /record key "run-someone-else" does not match runId "run-poison-1"/,
      },
      {
        name: 'tombstone',
        key: RUN,
        value: null,
        reason: 'MESSAGE_DECODE_FAILED',
        path: undefined,
        message: /tombstone/,
      },
    ];
    // good, poison, good, poison, … all on one partition: order shows the consumer never stalls.
    const offsets: string[] = [];
    const g0 = goodBytes(1);
    offsets.push(await sendRaw(config.tasks.topic, P, RUN, g0.value, g0.headers as Record<string, Buffer>));
    for (const [i, p] of poison.entries()) {
      offsets.push(
        await sendRaw(config.tasks.topic, P, p.key, p.value, {
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        }),
      );
      const g = goodBytes(i + 2);
      offsets.push(await sendRaw(config.tasks.topic, P, RUN, g.value, g.headers as Record<string, Buffer>));
    }

    const handled: Array<{ message: TaskMessage; context: RecordContext }> = [];
    const rejected: RejectedRecord[] = [];
    await using consumer = await TaskConsumer.start({
      kafka: broker.kafka('poison-c'),
      config,
      handler: (message, context) => void handled.push({ message, context }),
    });
    consumer.on('rejected', (r) => rejected.push(r));
    await until('all good records handled', () => handled.length === poison.length + 1);
    await until('all poison dead-lettered', () => consumer.stats().deadLettered === poison.length);
    await until(
      'everything committed',
      async () =>
        (await committedOffset(admin, consumer.groupId, config.tasks.topic, P)) === Number(offsets.at(-1)) + 1,
    );

    expect(handled.map((h) => h.message.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(consumer.stats()).toMatchObject({
      received: 13,
      handled: 7,
      rejected: 6,
      deadLettered: 6,
      rejectedByReason: { MESSAGE_DECODE_FAILED: 3, MESSAGE_INVALID: 1, MESSAGE_KEY_INVALID: 2 },
      deadLetterFailures: 0,
    });
    expect(rejected.map((r) => r.outcome)).toEqual(Array(6).fill('dead-lettered'));

    const dead = await readTopic(broker.kafka(), config.dlq.topic, poison.length);
    expect(dead).toHaveLength(poison.length);
    for (const [i, p] of poison.entries()) {
      const originalOffset = offsets[1 + i * 2]!;
      const record = dead.find(
        (d) => d.headers[DLT_HEADERS.originalOffset]!.readBigInt64BE() === BigInt(originalOffset),
      );
      expect(record, p.name).toBeDefined();
      const h = record!.headers;
      // Bytes unchanged, key unchanged (null stays null), original headers kept.
      expect(record!.value === null ? null : Buffer.compare(record!.value, p.value!), p.name).toBe(
        p.value === null ? null : 0,
      );
      expect(record!.key?.toString('utf8') ?? null, p.name).toBe(p.key);
      expect(header(h, 'traceparent')).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
      expect(header(h, DLT_HEADERS.originalTopic)).toBe(config.tasks.topic);
      expect(h[DLT_HEADERS.originalPartition]!.readInt32BE()).toBe(P);
      expect(h[DLT_HEADERS.originalTimestamp]!.readBigInt64BE()).toBeGreaterThan(0n);
      expect(header(h, DLT_HEADERS.originalConsumerGroup)).toBe(consumer.groupId);
      expect(header(h, DLT_HEADERS.exceptionFqcn)).toBe('ProtocolError');
      expect(header(h, DLT_HEADERS.exceptionMessage), p.name).toMatch(p.message);
      expect(header(h, DLT_HEADERS.reason), p.name).toBe(p.reason);
      expect(header(h, DLT_HEADERS.errorPath), p.name).toBe(p.path);
      expect(header(h, DLT_HEADERS.originalKey), p.name).toBe(p.key ?? undefined);
      expect(header(h, DLT_HEADERS.messageType)).toBe('TaskMessage');
      // Keyed by the original key: the Java partitioner puts a run's dead letters together.
      if (p.key !== null) expect(record!.partition).toBe(partitionForKey(p.key, PARTITIONS));
    }

    // The dead-letter handler reads them back as DeadLetterMessages.
    const letters: DeadLetterMessage[] = [];
    await using handler = await DeadLetterHandler.start({
      kafka: broker.kafka(),
      config,
      groupId: `${config.consumer.groupId}.dlq`,
      handler: (m) => void letters.push(m),
    });
    await until('6 dead letters handled', () => letters.length === poison.length);
    const schemaFailure = letters.find((l) => l.reason === 'MESSAGE_INVALID')!;
    expect(schemaFailure).toMatchObject({
      originalTopic: config.tasks.topic,
      originalPartition: P,
      originalOffset: Number(offsets[5]),
      originalKey: RUN,
      consumerGroup: consumer.groupId,
      errorClass: 'ProtocolError',
      errorPath: '$.attempt',
      payloadEncoding: 'utf-8',
      payload: poison[2]!.value!.toString('utf8'),
    });
    expect(letters.find((l) => l.cause.includes('not valid UTF-8'))).toMatchObject({
      payloadEncoding: 'base64',
      payload: Buffer.from([0xc3, 0x28, 0xff]).toString('base64'),
    });
    expect(handler.stats().rejected).toBe(0);
  });

  it("a poison record's offset is committed only after the DLQ write succeeded", async () => {
    const config = testConfig('clients-commit');
    // Every topic but the dlq: the dead-letter write fails until the dlq topic exists.
    await createTopics(
      admin,
      config,
      TOPIC_ROLES.filter((r) => r !== 'dlq'),
    );
    const poisonOffset = await sendRaw(config.tasks.topic, P, RUN, Buffer.from('not json at all'));
    const g = goodBytes(1);
    const goodOffset = await sendRaw(config.tasks.topic, P, RUN, g.value, g.headers as Record<string, Buffer>);

    const handled: TaskMessage[] = [];
    await using consumer = await TaskConsumer.start({
      kafka: broker.kafka('commit-c'),
      config,
      handler: (m) => void handled.push(m),
      // Fail dead-letter writes fast, and let kafkajs retry the record quickly.
      deadLetterProducer: { retry: { retries: 0 } },
      consumer: { retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } },
    });
    await until('a failed dead-letter write', () => consumer.stats().deadLetterFailures >= 1);
    // Not committed, not skipped: the good record behind it waits too.
    expect(await committedOffset(admin, consumer.groupId, config.tasks.topic, P)).toBeLessThanOrEqual(
      Number(poisonOffset),
    );
    expect(handled).toHaveLength(0);
    expect(consumer.stats().deadLettered).toBe(0);

    await createTopics(admin, config, ['dlq']);
    await until('the poison record dead-lettered', () => consumer.stats().deadLettered === 1, 60_000);
    await until('the good record handled', () => handled.length === 1, 60_000);
    await until(
      'committed past both',
      async () => (await committedOffset(admin, consumer.groupId, config.tasks.topic, P)) === Number(goodOffset) + 1,
      60_000,
    );
    const [dead] = await readTopic(broker.kafka(), config.dlq.topic, 1);
    expect(dead!.value!.toString('utf8')).toBe('not json at all');
    expect(dead!.headers[DLT_HEADERS.originalOffset]!.readBigInt64BE()).toBe(BigInt(poisonOffset));
  });

  it('a handler that keeps throwing is retried dlq.max-retries times, then dead-lettered (HANDLER_FAILED)', async () => {
    const config = testConfig('clients-handler');
    await createTopics(admin, config);
    const bad = good(1);
    const next = good(2);
    let calls = 0;
    const handled: number[] = [];
    await using consumer = await TaskConsumer.start({
      kafka: broker.kafka(),
      config,
      handler: (m) => {
        if (m.attempt === 1) {
          calls++;
          throw new RangeError('payment service said no');
        }
        handled.push(m.attempt);
      },
    });
    for (const m of [bad, next]) {
      const r = encodeRecord('tasks', m);
      await sendRaw(config.tasks.topic, P, RUN, r.value, r.headers as Record<string, Buffer>);
    }
    await until('the next record handled', () => handled.length === 1);
    expect(calls).toBe(config.dlq.maxRetries + 1);
    expect(consumer.stats()).toMatchObject({
      handlerRetries: config.dlq.maxRetries,
      deadLettered: 1,
      rejectedByReason: { HANDLER_FAILED: 1 },
    });
    const [dead] = await readTopic(broker.kafka(), config.dlq.topic, 1);
    expect(header(dead!.headers, DLT_HEADERS.exceptionFqcn)).toBe('RangeError');
    expect(header(dead!.headers, DLT_HEADERS.exceptionMessage)).toBe('handler failed 3 times: payment service said no');
    expect(header(dead!.headers, DLT_HEADERS.reason)).toBe('HANDLER_FAILED');
  });

  it('a status update keyed by something other than its tenantId is dead-lettered; onPoison "ignore" skips and counts', async () => {
    const config = testConfig('clients-status');
    await createTopics(admin, config);
    const update = buildStatusUpdate({ tenantId: 'tenant-a' }, { seed: 1 });
    const record = encodeRecord('status', update);
    const p = partitionForKey('tenant-a', PARTITIONS);
    await sendRaw(config.status.topic, p, update.runId, record.value, record.headers as Record<string, Buffer>); // keyed by runId: wrong
    await sendRaw(config.status.topic, p, 'tenant-a', record.value, record.headers as Record<string, Buffer>);

    const seen: StatusUpdateMessage[] = [];
    await using consumer = await StatusConsumer.start({
      kafka: broker.kafka(),
      config,
      handler: (m) => void seen.push(m),
    });
    await until('the good update', () => seen.length === 1);
    await until('the wrong key dead-lettered', () => consumer.stats().deadLettered === 1);
    const [dead] = await readTopic(broker.kafka(), config.dlq.topic, 1);
    expect(header(dead!.headers, DLT_HEADERS.exceptionMessage)).toBe(
      `StatusUpdateMessage at $.tenantId: record key "${update.runId}" does not match tenantId "tenant-a"`,
    );

    const ignored: RejectedRecord[] = [];
    await using skipper = await StatusConsumer.start({
      kafka: broker.kafka(),
      config,
      groupId: `${config.consumer.groupId}.ignore`,
      onPoison: 'ignore',
      handler: () => {},
    });
    skipper.on('rejected', (r) => ignored.push(r));
    await until('both records seen', () => skipper.stats().received === 2);
    await until('committed', () => skipper.stats().committed === 2);
    expect(skipper.stats()).toMatchObject({
      handled: 1,
      rejected: 1,
      deadLettered: 0,
      rejectedByReason: { MESSAGE_KEY_INVALID: 1 },
    });
  });
});

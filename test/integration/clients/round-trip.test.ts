import type { Admin } from '../../../harness/clients/client-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeadLetter,
  buildStatusUpdate,
  buildTask,
  buildTaskResult,
  buildWorkflowEvent,
} from '../../../fixtures/builders/index.js';
import type { GamelanKafkaConfig } from '../../../harness/config/index.js';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import {
  DeadLetterHandler,
  DeadLetterPublisher,
  EventConsumer,
  EventPublisher,
  ResultConsumer,
  ResultProducer,
  StatusConsumer,
  StatusPublisher,
  TaskConsumer,
  TaskProducer,
  type RecordContext,
} from '../../../harness/clients/index.js';
import {
  childTraceparent,
  CONTENT_TYPE,
  type DeadLetterMessage,
  HEADERS,
  parseTraceparent,
  partitionForKey,
  SCHEMA_VERSION,
  type StatusUpdateMessage,
  type TaskMessage,
  type TaskResultMessage,
  type WorkflowEventMessage,
} from '../../../harness/protocol/index.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker } from '../../support/broker.js';
import { createTopics, PARTITIONS, readTopic, testConfig } from './support.js';

let broker: StartedBroker;
let admin: Admin;
let config: GamelanKafkaConfig;

beforeAll(async () => {
  broker = await startTestBroker();
  admin = await broker.admin();
  config = testConfig('clients-rt');
  await createTopics(admin, config);
});

afterAll(async () => {
  await broker?.stop();
});

const received = <M>() => {
  const items: Array<{ message: M; context: RecordContext }> = [];
  return { items, handler: (message: M, context: RecordContext) => void items.push({ message, context }) };
};
const until = (description: string, probe: () => boolean) =>
  waitFor(() => (probe() ? true : undefined), { timeoutMs: 30_000, description });

describe('producer → consumer pairs on a real broker', () => {
  it('TaskProducer → TaskConsumer: key runId, Java partition, protocol headers, message intact', async () => {
    const tasks = [1, 2, 3, 4, 5, 6].map((seed) => buildTask({}, { seed }));
    const sink = received<TaskMessage>();
    await using consumer = await TaskConsumer.start({ kafka: broker.kafka('tasks-c'), config, handler: sink.handler });
    await using producer = await TaskProducer.connect({ kafka: broker.kafka('tasks-p'), config });
    const sent = [];
    for (const task of tasks) sent.push(await producer.send(task));
    for (const [i, s] of sent.entries()) {
      expect(s.key).toBe(tasks[i]!.runId);
      expect(s.partition).toBe(partitionForKey(tasks[i]!.runId, PARTITIONS));
    }
    await until('6 tasks consumed', () => sink.items.length === 6);
    for (const task of tasks) {
      const got = sink.items.find((r) => r.message.taskId === task.taskId)!;
      expect(got.message).toEqual(task);
      expect(got.context.key).toBe(task.runId);
      expect(got.context.partition).toBe(partitionForKey(task.runId, PARTITIONS));
      expect(got.context.headers).toMatchObject({
        [HEADERS.contentType]: CONTENT_TYPE,
        [HEADERS.messageType]: 'TaskMessage',
        [HEADERS.schemaVersion]: SCHEMA_VERSION,
      });
      expect(parseTraceparent(got.context.traceparent)).toBeDefined();
    }
    await until('6 offsets committed', () => consumer.stats().committed === 6);
    expect(consumer.stats()).toMatchObject({ received: 6, handled: 6, rejected: 0 });
  });

  it("a task's traceparent is carried to its result and its events (same trace-id)", async () => {
    const task = buildTask({}, { seed: 100 });
    const results = received<TaskResultMessage>();
    const events = received<WorkflowEventMessage>();
    await using resultConsumer = await ResultConsumer.start({
      kafka: broker.kafka(),
      config,
      groupId: `${config.consumer.groupId}.results`,
      handler: results.handler,
    });
    await using eventConsumer = await EventConsumer.start({
      kafka: broker.kafka(),
      config,
      groupId: `${config.consumer.groupId}.events`,
      handler: events.handler,
    });
    await using resultProducer = await ResultProducer.connect({ kafka: broker.kafka(), config });
    await using eventPublisher = await EventPublisher.connect({ kafka: broker.kafka(), config });
    // An executor: consume the task, answer with a result and an event in the task's trace.
    await using executor = await TaskConsumer.start({
      kafka: broker.kafka(),
      config,
      groupId: `${config.consumer.groupId}.executor`,
      handler: async (message, context) => {
        if (message.taskId !== task.taskId) return;
        const result = buildTaskResult({}, { seed: 100, task: message });
        await resultProducer.send(result, { traceparent: childTraceparent(context.traceparent) });
        await eventPublisher.send(
          buildWorkflowEvent({ runId: message.runId, eventType: 'NODE_COMPLETED' }, { seed: 100 }),
          {
            traceparent: childTraceparent(context.traceparent),
          },
        );
      },
    });
    await using taskProducer = await TaskProducer.connect({ kafka: broker.kafka(), config });
    const sent = await taskProducer.send(task);
    await until('the result', () => results.items.some((r) => r.message.taskId === task.taskId));
    await until('the event', () => events.items.some((e) => e.message.runId === task.runId));
    const traceId = parseTraceparent(sent.traceparent)!.traceId;
    const result = results.items.find((r) => r.message.taskId === task.taskId)!;
    const event = events.items.find((e) => e.message.runId === task.runId)!;
    expect(parseTraceparent(result.context.traceparent)!.traceId).toBe(traceId);
    expect(parseTraceparent(event.context.traceparent)!.traceId).toBe(traceId);
    expect(result.context.traceparent).not.toBe(sent.traceparent);
    expect(result.context.key).toBe(task.runId);
    expect(result.context.partition).toBe(partitionForKey(task.runId, PARTITIONS));
    expect(event.context.partition).toBe(partitionForKey(task.runId, PARTITIONS));
    expect(result.message).toEqual(buildTaskResult({}, { seed: 100, task }));
    expect(executor.stats().handled).toBeGreaterThanOrEqual(1);
  });

  it('StatusPublisher → StatusConsumer: keyed and partitioned by tenantId', async () => {
    const updates = [1, 2, 3, 4].map((seed) => buildStatusUpdate({}, { seed }));
    const sink = received<StatusUpdateMessage>();
    await using consumer = await StatusConsumer.start({
      kafka: broker.kafka(),
      config,
      groupId: `${config.consumer.groupId}.status`,
      handler: sink.handler,
    });
    await using publisher = await StatusPublisher.connect({ kafka: broker.kafka(), config });
    for (const update of updates) {
      const sent = await publisher.send(update);
      expect(sent).toMatchObject({ key: update.tenantId, partition: partitionForKey(update.tenantId, PARTITIONS) });
    }
    await until('4 status updates', () => sink.items.length === 4);
    for (const update of updates) {
      const got = sink.items.find((s) => s.context.key === update.tenantId)!;
      expect(got.message).toEqual(update);
      expect(got.context.partition).toBe(partitionForKey(update.tenantId, PARTITIONS));
      expect(got.context.headers[HEADERS.messageType]).toBe('StatusUpdateMessage');
    }
    expect(consumer.stats().rejected).toBe(0);
  });

  it('sendBatch sends several messages in one request, each on its Java partition', async () => {
    const events = [11, 12, 13].map((seed) => buildWorkflowEvent({}, { seed }));
    await using publisher = await EventPublisher.connect({ kafka: broker.kafka(), config });
    const before = await admin.fetchTopicOffsets(config.events.topic);
    await publisher.sendBatch(events);
    const after = await admin.fetchTopicOffsets(config.events.topic);
    for (const event of events) {
      const p = partitionForKey(event.runId, PARTITIONS);
      const grew =
        Number(after.find((o) => o.partition === p)!.offset) - Number(before.find((o) => o.partition === p)!.offset);
      expect(grew).toBeGreaterThanOrEqual(1);
    }
  });

  it('DeadLetterPublisher → DeadLetterHandler: a DeadLetterMessage round-trips through the dlq record format', async () => {
    const message: DeadLetterMessage = buildDeadLetter({ originalTopic: config.tasks.topic }, { seed: 9 });
    const sink = received<DeadLetterMessage>();
    await using handler = await DeadLetterHandler.start({
      kafka: broker.kafka(),
      config,
      groupId: `${config.consumer.groupId}.dlq`,
      handler: sink.handler,
    });
    await using publisher = await DeadLetterPublisher.connect({ kafka: broker.kafka(), config });
    const sent = await publisher.publish(message);
    expect(sent.key).toBe(message.originalKey);
    expect(sent.partition).toBe(partitionForKey(message.originalKey!, PARTITIONS));
    await until('the dead letter', () => sink.items.length === 1);
    const got = sink.items[0]!;
    expect({ ...got.message, failedAt: message.failedAt }).toEqual({ ...message, originalTimestampType: undefined });
    const [raw] = await readTopic(broker.kafka(), config.dlq.topic, 1);
    expect(raw!.value!.toString('utf8')).toBe(message.payload);
    expect(handler.stats()).toMatchObject({ handled: 1, rejected: 0 });
  });
});

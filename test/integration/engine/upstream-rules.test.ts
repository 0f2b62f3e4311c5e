import type { KafkaClient as Kafka } from '../../../harness/clients/client-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import type { GamelanKafkaConfig } from '../../../harness/config/index.js';
import { CompressionTypes } from '../../../harness/clients/kafkajs.js';
import { topicNames } from '../../../harness/config/index.js';
import { FakeEngine } from '../../../harness/engine/engine.js';
import { FakeExecutor } from '../../../harness/executors/executor.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';
import { upstreamDialect } from '../../../harness/protocol/index.js';
import { createTopics, readTopic, testConfig } from '../clients/support.js';

// The fake engine in upstream is the Java engine's dispatcher: a task it would refuse to send (an identifier or a
// token outside its pattern, a message over 1 MiB) is not written, and starting the run says why.
let broker: StartedBroker;
let kafka: Kafka;
let config: GamelanKafkaConfig;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = broker.kafka('upstream-rules-test');
  config = testConfig(uniqueTopic('up-rules'));
  await createTopics(await broker.admin(), config);
}, 120_000);
afterAll(() => broker?.stop());

describe('the fake engine in upstream refuses what the dispatcher refuses', () => {
  it('a runId outside ^[a-zA-Z0-9_-]+$: startRun rejects with MESSAGE_INVALID naming $.runId', async () => {
    await using engine = await FakeEngine.start({ kafka, config, dialect: 'upstream', groupId: uniqueTopic('engine') });
    await expect(engine.startRun('payment-linear', { tenantId: 'acme', runId: 'run:1' })).rejects.toMatchObject({
      code: 'MESSAGE_INVALID',
      message: expect.stringMatching(/\$\.runId: must match \^\[a-zA-Z0-9_-\]\+\$/),
    });
  }, 60_000);

  it('a task over 1,048,576 bytes: startRun rejects naming the size and the limit', async () => {
    await using engine = await FakeEngine.start({ kafka, config, dialect: 'upstream', groupId: uniqueTopic('engine') });
    await expect(
      engine.startRun('payment-linear', { tenantId: 'acme', context: { pad: 'x'.repeat(1_048_576) } }),
    ).rejects.toMatchObject({
      code: 'MESSAGE_INVALID',
      message: expect.stringMatching(/^value is \d+ bytes; a TaskMessage may be at most 1048576 bytes .*not sent/),
    });
  }, 60_000);

  it('the same runs start in spec (the README has no such rule)', async () => {
    await using engine = await FakeEngine.start({ kafka, config, groupId: uniqueTopic('engine') });
    await expect(engine.startRun('payment-linear', { tenantId: 'acme', runId: 'run:1' })).resolves.toMatchObject({
      runId: 'run:1',
    });
  }, 60_000);

  it('a fake executor in upstream does not run a task the dispatcher would not have sent: a poison record, dead-lettered as the Java JSON', async () => {
    const own = testConfig(uniqueTopic('up-poison')); // its own topics: the runs above left tasks on theirs
    await createTopics(await broker.admin(), own);
    const names = topicNames(own);
    const producer = kafka.producer();
    await producer.connect();
    const bad = {
      taskId: 'run.7:charge:1',
      runId: 'run.7',
      nodeId: 'charge',
      attempt: 1,
      executionToken: 'tok-7f3a9c1e2b4d',
      context: {},
      targetExecutor: 'payments',
      scheduledAt: '2026-01-01T00:00:00Z',
    };
    const good = { ...bad, taskId: 'run-7:charge:1', runId: 'run-7' };
    try {
      await producer.send({
        topic: names.tasks,
        compression: CompressionTypes.Snappy,
        messages: [bad, good].map((t) => ({ key: t.runId, value: JSON.stringify(t) })),
      });
    } finally {
      await producer.disconnect();
    }
    const ran: string[] = [];
    const handler = async (task: { runId: string }) => {
      ran.push(task.runId);
      return { paid: true };
    };
    await using executor = await FakeExecutor.start({
      kafka,
      config: own,
      dialect: 'upstream',
      executorType: 'payments',
      groupId: uniqueTopic('executors'),
      handler,
    });
    await waitFor(() => (executor.consumerStats().rejected >= 1 && ran.length >= 1 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the bad task rejected and the good one run',
      describeLast: () => JSON.stringify(executor.consumerStats()),
    });
    // At least once: a chunk may be handled again (a commit that lost its coordinator), never the bad task.
    expect(new Set(ran)).toEqual(new Set(['run-7']));
    const stats = executor.consumerStats();
    expect(stats.rejected).toBe(stats.rejectedByReason['MESSAGE_INVALID']);
    expect(stats.deadLettered).toBeGreaterThanOrEqual(1);
    const [letter] = await readTopic(kafka, names.dlq, 1);
    const read = upstreamDialect.readDeadLetter({ key: letter!.key, value: letter!.value, headers: letter!.headers });
    expect(read.ok && read.record.message).toMatchObject({
      originalTopic: names.tasks,
      originalKey: 'run.7',
      cause: expect.stringMatching(/runId.*\^\[a-zA-Z0-9_-\]\+\$/),
    });
  }, 60_000);
});

import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import type { GamelanKafkaConfig } from '../../../harness/config/index.js';
import { FakeEngine } from '../../../harness/engine/engine.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';
import { createTopics, testConfig } from '../clients/support.js';

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
    await expect(engine.startRun('payment-linear', { tenantId: 'acme', context: { pad: 'x'.repeat(1_048_576) } })).rejects.toMatchObject({
      code: 'MESSAGE_INVALID',
      message: expect.stringMatching(/^value is \d+ bytes; a TaskMessage may be at most 1048576 bytes .*not sent/),
    });
  }, 60_000);

  it('the same runs start in spec (the README has no such rule)', async () => {
    await using engine = await FakeEngine.start({ kafka, config, groupId: uniqueTopic('engine') });
    await expect(engine.startRun('payment-linear', { tenantId: 'acme', runId: 'run:1' })).resolves.toMatchObject({ runId: 'run:1' });
  }, 60_000);
});

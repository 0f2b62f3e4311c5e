import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';

describe('a single broker', () => {
  let broker: StartedBroker;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker?.stop());

  it('answers on loopback with one broker and a controller', async () => {
    const cluster = await (await broker.admin()).describeCluster();
    expect(cluster.brokers).toHaveLength(broker.brokerCount);
    expect(cluster.controller).not.toBeNull();
    if (broker.kind === 'native') expect(broker.bootstrapServers.every((s) => s.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('round-trips one record through a topic it creates', async () => {
    const topic = uniqueTopic('roundtrip');
    const admin = await broker.admin();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });

    const kafka = broker.kafka('roundtrip-test');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k1', value: 'hello gamelan' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = await new Promise<{ key: string; value: string }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => resolve({ key: String(message.key), value: String(message.value) }),
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ key: 'k1', value: 'hello gamelan' });
  });

  it('stops twice safely', async () => {
    const second = await startTestBroker();
    await second.stop();
    await second.stop();
    await expect(second.admin()).rejects.toThrow(/stopped/);
  });
});

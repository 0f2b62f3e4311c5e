import { Kafka, logLevel } from '../../harness/clients/kafkajs.js';
import { kafkajsSecurity } from '../../harness/clients/kafkajs-security.js';
import { describe, expect, it } from 'vitest';
import { TaskConsumer, TaskProducer } from '../../harness/clients/index.js';
import { gamelanKafka } from '../../harness/vitest/index.js';
import { buildTask } from '../../fixtures/builders/index.js';

// The test kit as users wire it: vitest's globalSetup starts one broker with the Gamelan topics and
// every file reaches it through gamelanKafka().
describe('gamelan-kafka-harness/vitest/global-setup', () => {
  it('provides a broker with the five Gamelan topics', async () => {
    const { bootstrapServers, topics, config, security } = gamelanKafka();
    expect(bootstrapServers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    // Your own clients connect as the broker wants (GAMELAN_KAFKA_SECURITY; plaintext by default).
    const admin = new Kafka({
      brokers: [...bootstrapServers],
      logLevel: logLevel.NOTHING,
      ...kafkajsSecurity(security),
    }).admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((t) => Object.values(topics).includes(t)).sort()).toEqual(
        Object.values(topics).sort(),
      );
    } finally {
      await admin.disconnect();
    }
    expect(config.partitions).toBe(3);
  });

  it('carries a task from a producer to a consumer on it', async () => {
    const { bootstrapServers, config, security } = gamelanKafka();
    const kafka = new Kafka({
      brokers: [...bootstrapServers],
      logLevel: logLevel.NOTHING,
      ...kafkajsSecurity(security),
    });
    const task = buildTask({}, { seed: 7 });
    const received: string[] = [];
    const consumer = await TaskConsumer.start({
      kafka,
      config,
      groupId: `kit-${Date.now()}`,
      handler: (t) => void received.push(t.taskId),
    });
    const producer = await TaskProducer.connect({ kafka, config });
    try {
      await producer.send(task);
      await expect.poll(() => received, { timeout: 15_000 }).toContain(task.taskId);
    } finally {
      await producer.stop();
      await consumer.stop();
    }
  });
});

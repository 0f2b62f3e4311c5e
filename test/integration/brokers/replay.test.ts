import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StartedNativeBroker } from '../../../harness/brokers/index.js';
import { nativeUnavailable, startNativeTestBroker } from '../../support/broker.js';

const skip = await nativeUnavailable();

describe.skipIf(skip !== undefined)('a broker restarted on the same data dir (native)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gamelan-replay-test-'));
  let broker: StartedNativeBroker | undefined;
  afterAll(async () => {
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its records and cluster id across a restart, and leaves the data dir in place', async () => {
    const topic = 'replay-topic';
    broker = await startNativeTestBroker({ dataDir });
    expect(broker.temporary).toBe(false);
    const clusterId = broker.clusterId;
    const admin = await broker.admin();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const producer = broker.kafka().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: ['one', 'two', 'three'].map((value) => ({ value })) });
    await producer.disconnect();
    await broker.stop();

    broker = await startNativeTestBroker({ dataDir });
    expect(broker.clusterId).toBe(clusterId);
    const values: string[] = [];
    const consumer = broker.kafka().consumer({ groupId: 'replay-reader' });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(String(message.value));
          if (values.length === 3) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(values).toEqual(['one', 'two', 'three']);
  });

  it('refuses to restart the data dir with another broker count', async () => {
    await broker?.stop();
    await expect(startNativeTestBroker({ dataDir, brokers: 3 })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
    });
  });
});

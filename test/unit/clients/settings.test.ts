import type { PartitionMetadata } from 'kafkajs';
import { CompressionCodecs, CompressionTypes, Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, gamelanKafkaSchema } from '../../../harness/config/index.js';
import { ConfigError } from '../../../harness/errors.js';
import {
  JavaCompatiblePartitioner,
  consumerSettings,
  producerSettings,
  TaskConsumer,
  TaskProducer,
} from '../../../harness/clients/index.js';
import { partitionForKey } from '../../../harness/protocol/index.js';

const config = (input: Parameters<typeof gamelanKafkaSchema.parse>[0]) => gamelanKafkaSchema.parse(input);

describe('producer settings from gamelan.kafka.producer.*', () => {
  it('acks=all → -1 and snappy through a registered codec (the spec defaults)', () => {
    expect(producerSettings(DEFAULT_CONFIG)).toEqual({ acks: -1, compression: CompressionTypes.Snappy });
    expect(CompressionCodecs[CompressionTypes.Snappy]).toBeTypeOf('function');
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['-1', -1],
  ] as const)('acks=%s → %d', (acks, expected) => {
    expect(producerSettings(config({ producer: { acks } })).acks).toBe(expected);
  });

  it('gzip and none map; lz4/zstd have no codec here', () => {
    expect(producerSettings(config({ producer: { compressionType: 'gzip' } })).compression).toBe(CompressionTypes.GZIP);
    expect(producerSettings(config({ producer: { compressionType: 'none' } })).compression).toBe(CompressionTypes.None);
    expect(() => producerSettings(config({ producer: { compressionType: 'lz4' } }))).toThrow(ConfigError);
  });

  it('the registered snappy codec round-trips bytes', async () => {
    producerSettings(DEFAULT_CONFIG);
    const codec = CompressionCodecs[CompressionTypes.Snappy]() as {
      compress(encoder: { buffer: Buffer }): Promise<Buffer>;
      decompress(buffer: Buffer): Promise<Buffer>;
    };
    const input = Buffer.from(JSON.stringify({ hello: 'gamelan'.repeat(50) }));
    const compressed = await codec.compress({ buffer: input });
    expect(compressed.length).toBeLessThan(input.length);
    expect(Buffer.from(await codec.decompress(compressed)).equals(input)).toBe(true);
  });
});

describe('consumer settings from gamelan.kafka.consumer.*', () => {
  it('maps group, timeouts, fetch size and offset reset', () => {
    expect(consumerSettings(DEFAULT_CONFIG)).toEqual({
      groupId: DEFAULT_CONFIG.consumer.groupId,
      sessionTimeout: DEFAULT_CONFIG.consumer.sessionTimeoutMs,
      heartbeatInterval: DEFAULT_CONFIG.consumer.heartbeatIntervalMs,
      minBytes: DEFAULT_CONFIG.consumer.fetchMinBytes,
      fromBeginning: true,
    });
    expect(consumerSettings(config({ consumer: { autoOffsetReset: 'latest' } }), 'g2')).toMatchObject({
      groupId: 'g2',
      fromBeginning: false,
    });
  });

  it('auto-offset-reset=none is refused (no kafkajs equivalent)', () => {
    expect(() => consumerSettings(config({ consumer: { autoOffsetReset: 'none' } }))).toThrow(
      /auto-offset-reset = "none"/,
    );
  });
});

describe('JavaCompatiblePartitioner', () => {
  it('picks the murmur2 partition for keys and round-robins key-less records', () => {
    const partitioner = JavaCompatiblePartitioner();
    const partitionMetadata: PartitionMetadata[] = Array.from({ length: 7 }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
    }));
    for (const key of ['run-0001', 'tenant-acme', '工作流-运行']) {
      expect(partitioner({ topic: 't', partitionMetadata, message: { key, value: null } })).toBe(
        partitionForKey(key, 7),
      );
      expect(partitioner({ topic: 't', partitionMetadata, message: { key: Buffer.from(key), value: null } })).toBe(
        partitionForKey(key, 7),
      );
    }
    const keyless = [0, 1, 2].map(() => partitioner({ topic: 't', partitionMetadata, message: { value: null } }));
    expect(new Set(keyless).size).toBe(3);
  });
});

describe('client lifecycle without a broker', () => {
  // A kafkajs client that is never connected: constructing and stopping touch no network.
  const kafka = new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING });

  it('rejects unknown consumer event names and stops twice safely', async () => {
    const consumer = Reflect.construct(TaskConsumer, [{ kafka, handler: () => {} }]) as TaskConsumer;
    expect(() => consumer.on('nope' as never, () => {})).toThrow(
      /Unknown consumer event "nope"; allowed: handled, rejected, committed/,
    );
    const off = consumer.on('rejected', () => {});
    off();
    await consumer.stop();
    await consumer.stop();
    await consumer[Symbol.asyncDispose]();
    expect(consumer.stats()).toEqual({
      received: 0,
      handled: 0,
      rejected: 0,
      rejectedByReason: {},
      deadLettered: 0,
      handlerRetries: 0,
      committed: 0,
      deadLetterFailures: 0,
    });
  });

  it('a producer stops twice safely and refuses to send after stop', async () => {
    const producer = Reflect.construct(TaskProducer, [{ kafka }]) as TaskProducer;
    await producer.stop();
    await producer.stop();
    await expect(producer.sendBatch([])).rejects.toThrow(/stopped/);
  });
});

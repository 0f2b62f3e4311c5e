import type { Producer as PltProducer } from '@platformatic/kafka';
import { partitionForKey } from '../../protocol/index.js';
import type {
  Acks,
  ClientOptions,
  ClientRetry,
  PartitionerArgs,
  ProducedMessage,
  Producer,
  ProducerOptions,
  ProducerRecord,
  RecordHeaders,
  RecordMetadata,
} from '../client-api.js';
import { ConfigError } from '../../errors.js';
import { PLATFORMATIC_VERSION } from '../client-choice.js';
import { platformaticBaseOptions } from './connection.js';
import { loadPlatformatic } from './load.js';

// client-api.ts's Producer on @platformatic/kafka. The harness's producer layer (clients/producer.ts) does linger,
// batching and delivery retries above it; this turns one ProducerRecord into one library send.

const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

const toBuffer = (v: Buffer | string): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

/** Header names as Buffers: a Map keyed by distinct Buffer objects keeps a repeated name's every value. */
export function toHeaderMap(headers: RecordHeaders | undefined): Map<Buffer, Buffer> {
  const map = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) map.set(Buffer.from(name, 'utf8'), toBuffer(v));
  }
  return map;
}

/** The Java client's choice: toPositive(murmur2(key)) % count, round-robin without a key (the library's default differs: `murmur2 >>> 0`). */
function javaPartitioner() {
  let next = 0;
  return ({ partitionMetadata, message }: PartitionerArgs): number => {
    const count = partitionMetadata.length;
    if (message.key === null || message.key === undefined) return next++ % count;
    return partitionForKey(typeof message.key === 'string' ? message.key : new Uint8Array(message.key), count);
  };
}

/**
 * Whether the library producer is idempotent. By default it is, as Java's producer is: the library retries a
 * produce request whole when some of its partitions failed (a leader not yet known on a topic just created), and
 * without sequence numbers the partitions already written get their records twice (seen on this broker). But
 * @platformatic/kafka 2.12.1 retries an idempotent producer's requests without end when it is given 0 or 1 retries
 * (it raises them to Number.MAX_SAFE_INTEGER), so a send to a topic that does not exist never settles: a caller
 * that asks for so few retries wants a fast failure, which only a non-idempotent producer gives.
 */
export function isIdempotent(options: ProducerOptions, retry: ClientRetry | undefined = options.retry): boolean {
  const retries = retry?.retries;
  const fewRetries = retries !== undefined && retries <= 1;
  if (options.idempotent === true && fewRetries) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `Kafka client "platformatic": an idempotent producer with retry.retries ${retries} would retry without end (@platformatic/kafka ${PLATFORMATIC_VERSION} raises 0 or 1 to no limit); allowed: retries of 2 or more, or idempotent false.`,
      { key: 'retry.retries', value: retries },
    );
  }
  return options.idempotent ?? !fewRetries;
}

export class PlatformaticProducer implements Producer {
  readonly #client: ClientOptions;
  readonly #options: ProducerOptions;
  readonly #partition: (args: PartitionerArgs) => number;
  #producer: PltProducer | undefined;

  constructor(client: ClientOptions, options: ProducerOptions = {}) {
    this.#client = client;
    this.#options = options;
    this.#partition = options.createPartitioner ? options.createPartitioner() : javaPartitioner();
  }

  async connect(): Promise<void> {
    if (this.#producer) return;
    const { Producer } = await loadPlatformatic();
    // The producer's own retry policy, else the client's.
    const retry = this.#options.retry ?? this.#client.retry;
    const producer = new Producer({
      ...platformaticBaseOptions(this.#client, retry),
      autocreateTopics: this.#options.allowAutoTopicCreation ?? false,
      idempotent: isIdempotent(this.#options, retry),
      ...(this.#options.maxInFlightRequests !== undefined && { maxInflights: this.#options.maxInFlightRequests }),
    });
    // The library connects on first use: ask for the cluster's metadata so an unreachable cluster fails here.
    await producer.metadata({ topics: [] });
    this.#producer = producer;
  }

  async disconnect(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    await producer?.close();
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const producer = this.#producer;
    if (!producer) throw new Error('The producer is not connected: call connect() first.');
    const { topic } = record;
    if (record.messages.length === 0) return [];
    const metadata = await producer.metadata({ topics: [topic] });
    const partitions = metadata.topics.get(topic)?.partitions ?? [];
    const partitionMetadata = partitions.map((p, partitionId) => ({ partitionId, leader: p.leader }));
    const messages = record.messages.map((message: ProducedMessage) => ({
      topic,
      partition: message.partition ?? this.#partition({ topic, partitionMetadata, message }),
      ...(message.key !== null && message.key !== undefined && { key: toBuffer(message.key) }),
      ...(message.value !== null && { value: toBuffer(message.value) }),
      ...(message.timestamp !== undefined && { timestamp: BigInt(message.timestamp) }),
      headers: toHeaderMap(message.headers),
    }));
    const acks: Acks = record.acks ?? -1;
    const result = await producer.send({
      messages,
      acks,
      // Idempotence needs acks=all: a send with fewer acks goes out without sequence numbers.
      ...(acks !== -1 && { idempotent: false }),
      ...(record.compression !== undefined && { compression: COMPRESSION_NAMES[record.compression] }),
    });
    // One answer per partition written, as Kafka's produce response gives it.
    const base = new Map((result.offsets ?? []).map((o) => [o.partition, o.offset]));
    const written = [...new Set(messages.map((m) => m.partition))];
    return written.map((partition) => {
      const offset = base.get(partition);
      return { topicName: topic, partition, errorCode: 0, ...(offset !== undefined && { baseOffset: String(offset) }) };
    });
  }
}

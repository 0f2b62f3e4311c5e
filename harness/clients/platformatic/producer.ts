import type { Producer } from '@platformatic/kafka';
import { partitionForKey } from '../../protocol/index.js';
import { loadPlatformatic } from './load.js';
import { platformaticBaseOptions, type PlatformaticConnection } from './connection.js';

// A producer on @platformatic/kafka: records with keys and headers, acks and compression per producer, each send
// resolving once the broker acknowledged every record of it, with where each record went.

export interface OutgoingRecord {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  /** A fixed partition; default the Java client's choice for the key (murmur2), round-robin without one. */
  readonly partition?: number;
}

/** Where one record of a send went (its offset is its batch's base offset plus its place in that partition's batch). */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  /** Undefined with acks 0 (nothing is answered). */
  readonly offset: string | undefined;
}

export interface PlatformaticProducerOptions extends PlatformaticConnection {
  /** -1 (all, the spec's), 0 or 1. With -1 the producer is idempotent, as Java's default producer is. */
  readonly acks?: -1 | 0 | 1;
  readonly compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
}

const toBuffer = (v: string | Buffer): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

export class PlatformaticProducer implements AsyncDisposable {
  readonly #producer: Producer;
  readonly #acks: -1 | 0 | 1;
  #roundRobin = 0;
  #closing: Promise<void> | undefined;

  private constructor(producer: Producer, acks: -1 | 0 | 1) {
    this.#producer = producer;
    this.#acks = acks;
  }

  /** A producer for this connection; loads @platformatic/kafka (ClientUnavailableError where it cannot run). */
  static async create(options: PlatformaticProducerOptions): Promise<PlatformaticProducer> {
    const { Producer } = await loadPlatformatic();
    const acks = options.acks ?? -1;
    const producer = new Producer({
      ...platformaticBaseOptions(options),
      acks,
      idempotent: acks === -1,
      compression: options.compression ?? 'snappy',
    });
    return new PlatformaticProducer(producer, acks);
  }

  /** Send records to one topic; resolves once acknowledged, with each record's position in the order given. */
  async send(topic: string, records: readonly OutgoingRecord[]): Promise<RecordPosition[]> {
    if (records.length === 0) return [];
    // Partitions are chosen here, as the Java client chooses them (toPositive(murmur2(key)) % count; round-robin
    // without a key): the library's default partitioner takes `murmur2 >>> 0`, not Java's `& 0x7fffffff`.
    const count = await this.#partitionCount(topic);
    const messages = records.map((r) => ({
      topic,
      partition: r.partition ?? (r.key === null ? this.#roundRobin++ % count : partitionForKey(typeof r.key === 'string' ? r.key : new Uint8Array(r.key), count)),
      ...(r.key !== null && { key: toBuffer(r.key) }),
      ...(r.value !== null && { value: toBuffer(r.value) }),
      headers: new Map(Object.entries(r.headers ?? {}).map(([k, v]) => [Buffer.from(k, 'utf8'), toBuffer(v)])),
    }));
    const result = await this.#producer.send({ messages, acks: this.#acks });
    const base = new Map((result.offsets ?? []).map((o) => [o.partition, o.offset]));
    const seen = new Map<number, bigint>();
    return messages.map(({ partition }) => {
      const index = seen.get(partition) ?? 0n;
      seen.set(partition, index + 1n);
      const first = base.get(partition);
      return { topic, partition, offset: first === undefined ? undefined : String(first + index) };
    });
  }

  /** The topic's partition count from the library's metadata cache (refreshed after metadataMaxAge). */
  async #partitionCount(topic: string): Promise<number> {
    const metadata = await this.#producer.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount;
    if (!count) throw new Error(`Topic ${topic} has no partitions in the cluster's metadata (does it exist?).`);
    return count;
  }

  /** Close (idempotent); sends in flight settle first. */
  close(): Promise<void> {
    this.#closing ??= this.#producer.close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

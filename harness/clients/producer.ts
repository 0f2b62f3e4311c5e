import { setTimeout as sleep } from 'node:timers/promises';
import type {
  KafkaClient,
  PartitionerArgs,
  ProducedMessage,
  Producer,
  ProducerOptions as ClientProducerOptions,
  RecordMetadata,
} from './client-api.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig, topicNames } from '../config/index.js';
import { type TopicRole } from '../vocabulary.js';
import { type EncodedRecord, HEADERS, type MessageForRole } from '../protocol/index.js';
import { encodeRecordIn } from '../protocol/dialects/codec.js';
import type { DialectName } from '../vocabulary.js';
import { LingerBuffer, type RecordPosition } from './linger.js';
import {
  DELIVERY_RETRY,
  DELIVERY_TIMEOUT_MS,
  isPermanentSendError,
  JavaCompatiblePartitioner,
  producerSettings,
  type ProducerSettings,
} from './settings.js';

export interface ProducerOptions {
  readonly kafka: KafkaClient;
  /** The gamelan.kafka.* configuration (topic names, acks, compression); default: the spec's defaults. */
  readonly config?: GamelanKafkaConfig;
  /**
   * Extra producer settings of the client interface (the partitioner is always the Java-compatible one). A `retry` given here is
   * the whole retry policy: requests are then not tried again until the delivery timeout.
   */
  readonly producer?: Omit<ClientProducerOptions, 'createPartitioner'>;
  /** The wire dialect it writes (default `spec`, the README): exactly one, see protocol/dialects. */
  readonly dialect?: DialectName;
}

export interface SendOptions {
  /** W3C traceparent; default a new trace. To continue one, pass `childTraceparent(received.traceparent)`. */
  readonly traceparent?: string | undefined;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
}

/** A record stamped when send() was called. */
type StampedRecord = EncodedRecord & { readonly timestamp: string };

/** Where a record went. */
export interface SentRecord {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the record (its batch's base offset plus its place in the batch on that partition). */
  readonly offset: string;
  readonly key: string | null;
  readonly traceparent: string;
}

/**
 * Shared by every protocol producer: one kafkajs producer, one topic role, the config's acks and compression.
 * `send` goes through a linger buffer (linger.ms, batch.size; see linger.ts): concurrent sends share produce
 * requests, and each resolves once the broker acknowledged its record.
 */
export abstract class RecordProducer<R extends TopicRole> implements AsyncDisposable {
  readonly topic: string;
  /** The wire dialect this producer writes. */
  readonly dialect: DialectName;
  protected readonly settings: ProducerSettings;
  protected readonly producer: Producer;
  readonly #buffer: LingerBuffer<StampedRecord>;
  /** The partition the partitioner chose for each message object of the request being sent. */
  readonly #partitionOf = new WeakMap<object, number>();
  #stopping: Promise<void> | undefined;
  /** How long a failing request is tried again: Java's delivery timeout, or none when the caller set kafkajs' retry. */
  readonly #deliveryTimeoutMs: number;

  protected constructor(
    readonly role: R,
    options: ProducerOptions,
  ) {
    const config = options.config ?? DEFAULT_CONFIG;
    this.topic = topicNames(config)[role];
    this.dialect = options.dialect ?? 'spec';
    this.settings = producerSettings(config);
    this.#deliveryTimeoutMs = options.producer?.retry ? 0 : DELIVERY_TIMEOUT_MS;
    const partitionOf = this.#partitionOf;
    this.producer = options.kafka.producer({
      allowAutoTopicCreation: false,
      retry: DELIVERY_RETRY,
      ...options.producer,
      createPartitioner: () => {
        const partition = JavaCompatiblePartitioner();
        return (args: PartitionerArgs) => {
          const chosen = partition(args);
          partitionOf.set(args.message, chosen);
          return chosen;
        };
      },
    });
    this.#buffer = new LingerBuffer<StampedRecord>({
      lingerMs: config.producer.lingerMs,
      batchBytes: Math.max(1, config.producer.batchSize),
      // One request in flight: the Java producer Gamelan runs is idempotent (the default since Kafka 3.0) and keeps
      // each partition's order across retries; kafkajs' idempotence is not safe with concurrent requests, so a
      // later request must not overtake one that is being retried (the chaos checker sees that as out of order).
      maxInFlight: 1,
      send: (records) => this.#sendPositioned(records),
    });
  }

  protected async connect(): Promise<this> {
    await this.producer.connect();
    return this;
  }

  /** These records in one produce request (past the linger buffer), delivered as send() delivers; kafkajs' answers. */
  protected async sendRecords(records: readonly EncodedRecord[]): Promise<RecordMetadata[]> {
    if (this.#stopping) throw new Error(`${this.constructor.name} is stopped; connect a new one.`);
    return this.#sendUntilDelivered(records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })));
  }

  /** One produce request; each record's partition and offset (base offset + its place on its partition). */
  async #sendPositioned(records: readonly StampedRecord[]): Promise<RecordPosition[]> {
    const messages: ProducedMessage[] = records.slice(); // the stamped records are produced messages already
    const base = new Map(
      (await this.#sendUntilDelivered(messages)).map((m) => [m.partition, BigInt(m.baseOffset ?? '-1')]),
    );
    const seen = new Map<number, bigint>();
    return messages.map((message) => {
      const partition = this.#partitionOf.get(message) ?? 0;
      const index = seen.get(partition) ?? 0n;
      seen.set(partition, index + 1n);
      const first = base.get(partition) ?? -1n;
      return { partition, offset: first < 0n ? '-1' : (first + index).toString() };
    });
  }

  /**
   * The request again and again until the broker took every record, a permanent error, the delivery timeout
   * (Java's delivery.timeout.ms) or stop(); kafkajs' answer for each partition. One request is in flight,
   * so nothing overtakes it meanwhile.
   *
   * kafkajs can answer a send without some of its partitions: when a leader moved during its retries to a
   * broker that had already answered the same send, it skips that broker and never writes those records
   * (kafkajs 2.2.4, producer/sendMessages.js). Those records are sent again, on the partition kafkajs chose.
   */
  async #sendUntilDelivered(messages: ProducedMessage[]): Promise<RecordMetadata[]> {
    const answers = new Map<number, RecordMetadata>();
    let unanswered = messages;
    const deadline = Date.now() + this.#deliveryTimeoutMs;
    for (
      let backoff: number = DELIVERY_RETRY.initialRetryTime;
      ;
      backoff = Math.min(DELIVERY_RETRY.maxRetryTime, backoff * 2)
    ) {
      let failure: unknown;
      try {
        const metadata = await this.producer.send({
          topic: this.topic,
          acks: this.settings.acks,
          compression: this.settings.compression,
          messages: unanswered,
        });
        if (this.settings.acks === 0) return metadata; // no answer to wait for
        for (const m of metadata) answers.set(m.partition, m);
        // Again with the partitions kafkajs put them on (a key-less record must not move to another partition).
        unanswered = unanswered
          .filter((m) => !answers.has(this.#partitionOf.get(m) ?? -1))
          .map((m) => ({ ...m, partition: this.#partitionOf.get(m) }));
        if (unanswered.length === 0) return [...answers.values()];
        failure = new Error(
          `${this.topic}: kafkajs answered without partitions ${[...new Set(unanswered.map((m) => m.partition))].join(', ')}; their records were not written`,
        );
      } catch (error) {
        if (this.#stopping || isPermanentSendError(error)) throw error;
        failure = error;
      }
      if (this.#stopping || Date.now() + backoff >= deadline) throw failure;
      await sleep(backoff);
    }
  }

  /** Send one record through the linger buffer and say where it went once the broker acknowledged it. */
  protected async sendOne(record: EncodedRecord): Promise<SentRecord> {
    if (this.#stopping) throw new Error(`${this.constructor.name} is stopped; connect a new one.`);
    // Java stamps the record when send() is called, not when its batch goes out.
    // Built field by field (not spread): kafkajs is handed this very object as the message, one shape for all.
    const stamped: StampedRecord = {
      key: record.key,
      value: record.value,
      headers: record.headers,
      timestamp: String(Date.now()),
    };
    const bytes = (record.value?.length ?? 0) + (record.key?.length ?? 0) + 64;
    const position = await this.#buffer.append(stamped, bytes);
    const traceparent = record.headers[HEADERS.traceparent];
    return {
      topic: this.topic,
      partition: position.partition,
      offset: position.offset,
      key: record.key === null ? null : record.key.toString(),
      traceparent: traceparent === undefined ? '' : traceparent.toString(),
    };
  }

  /** Send what lingers now; resolves when every record sent so far is acknowledged (or failed). */
  flush(): Promise<void> {
    return this.#buffer.flush();
  }

  /** Records sent through the linger buffer and the produce requests they took. */
  batchingStats(): { readonly records: number; readonly requests: number; readonly queued: number } {
    return { ...this.#buffer.stats, queued: this.#buffer.queued };
  }

  /** Flush what lingers, then stop the producer (idempotent; safe to call twice and concurrently). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#buffer.flush().catch(() => undefined); // their senders saw the failure
      await this.producer.disconnect();
    })();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

/** A producer of one message role: encodes in its dialect (key by role, JSON, headers) and sends. */
export abstract class MessageProducer<R extends Exclude<TopicRole, 'dlq'>> extends RecordProducer<R> {
  /**
   * Send one message and wait for the broker's acknowledgement (acks from the configuration). Waits up to
   * linger.ms for other sends to share its produce request: send many without awaiting each one.
   */
  async send(message: MessageForRole<R>, options: SendOptions = {}): Promise<SentRecord> {
    return this.sendOne(encodeRecordIn(this.dialect, this.role, message, options));
  }

  /** Send several messages in one produce request (what linger.ms/batch.size would batch in Java). */
  async sendBatch(messages: readonly MessageForRole<R>[], options: SendOptions = {}): Promise<RecordMetadata[]> {
    return this.sendRecords(messages.map((m) => encodeRecordIn(this.dialect, this.role, m, options)));
  }
}

import type { Kafka, Producer, ProducerConfig, RecordMetadata } from 'kafkajs';
import { DEFAULT_CONFIG, type GamelanKafkaConfig, type TopicRole, topicNames } from '../config/index.js';
import { type EncodedRecord, encodeRecord, HEADERS, type MessageForRole } from '../protocol/index.js';
import { JavaCompatiblePartitioner, producerSettings, type ProducerSettings } from './settings.js';

export interface ProducerOptions {
  readonly kafka: Kafka;
  /** The gamelan.kafka.* configuration (topic names, acks, compression); default: the spec's defaults. */
  readonly config?: GamelanKafkaConfig;
  /** Extra kafkajs producer settings (the partitioner is always the Java-compatible one). */
  readonly producer?: Omit<ProducerConfig, 'createPartitioner'>;
}

export interface SendOptions {
  /** W3C traceparent; default a new trace. To continue one, pass `childTraceparent(received.traceparent)`. */
  readonly traceparent?: string | undefined;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
}

/** Where a record went. */
export interface SentRecord {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the record (the base offset kafkajs reports; one record per send). */
  readonly offset: string;
  readonly key: string | null;
  readonly traceparent: string;
}

/** Shared by every protocol producer: one kafkajs producer, one topic role, send-and-wait with the config's acks. */
export abstract class RecordProducer<R extends TopicRole> implements AsyncDisposable {
  readonly topic: string;
  protected readonly settings: ProducerSettings;
  protected readonly producer: Producer;
  #stopping: Promise<void> | undefined;

  protected constructor(
    readonly role: R,
    options: ProducerOptions,
  ) {
    const config = options.config ?? DEFAULT_CONFIG;
    this.topic = topicNames(config)[role];
    this.settings = producerSettings(config);
    this.producer = options.kafka.producer({
      allowAutoTopicCreation: false,
      ...options.producer,
      createPartitioner: JavaCompatiblePartitioner,
    });
  }

  protected async connect(): Promise<this> {
    await this.producer.connect();
    return this;
  }

  protected async sendRecords(records: readonly EncodedRecord[]): Promise<RecordMetadata[]> {
    if (this.#stopping) throw new Error(`${this.constructor.name} is stopped; connect a new one.`);
    return this.producer.send({
      topic: this.topic,
      acks: this.settings.acks,
      compression: this.settings.compression,
      messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
    });
  }

  /** Send one record and say where it went. */
  protected async sendOne(record: EncodedRecord): Promise<SentRecord> {
    const [metadata] = await this.sendRecords([record]);
    const traceparent = record.headers[HEADERS.traceparent];
    return {
      topic: this.topic,
      partition: metadata!.partition,
      offset: metadata!.baseOffset ?? '-1',
      key: record.key === null ? null : record.key.toString(),
      traceparent: traceparent === undefined ? '' : traceparent.toString(),
    };
  }

  /** Stop the producer (idempotent; safe to call twice and concurrently). */
  stop(): Promise<void> {
    this.#stopping ??= this.producer.disconnect();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

/** A producer of one message role: encodes (key by role, JSON, headers) and sends. */
export abstract class MessageProducer<R extends Exclude<TopicRole, 'dlq'>> extends RecordProducer<R> {
  /** Send one message and wait for the broker's acknowledgement (acks from the configuration). */
  async send(message: MessageForRole<R>, options: SendOptions = {}): Promise<SentRecord> {
    return this.sendOne(encodeRecord(this.role, message, options));
  }

  /** Send several messages in one produce request (what linger.ms/batch.size would batch in Java). */
  async sendBatch(messages: readonly MessageForRole<R>[], options: SendOptions = {}): Promise<RecordMetadata[]> {
    return this.sendRecords(messages.map((m) => encodeRecord(this.role, m, options)));
  }
}

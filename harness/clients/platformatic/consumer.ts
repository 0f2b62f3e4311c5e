import type { Consumer, ConsumerOptions, Message, MessagesStream } from '@platformatic/kafka';
import { loadPlatformatic } from './load.js';
import { platformaticBaseOptions, type PlatformaticConnection } from './connection.js';

// A group consumer on @platformatic/kafka with explicit commits: a record's offset is committed only after its
// handler resolved (the handler resolves once what it sent was acknowledged), never by a timer. Reads through the
// library's message stream; `groupProtocol: 'consumer'` joins with Kafka 4's consumer group protocol (KIP-848).

export type GroupProtocol = 'classic' | 'consumer';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Epoch milliseconds. */
  readonly timestamp: string;
}

export interface PlatformaticConsumerOptions extends PlatformaticConnection {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a partition without a committed offset starts (auto.offset.reset earliest or latest). */
  readonly fromBeginning: boolean;
  /** Default `classic`. With `consumer`, the session and heartbeat are the broker's (group.consumer.* settings). */
  readonly groupProtocol?: GroupProtocol;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly minBytes?: number;
  /** How long a fetch waits for minBytes (fetch.max.wait.ms; default 500 ms as Java's). */
  readonly maxWaitMs?: number;
}

/** Handles one record; the consumer commits its offset only once this resolved. Throwing stops the consumer uncommitted. */
export type RecordHandler = (record: ConsumedRecord) => Promise<void> | void;

function toRecord(message: Message): ConsumedRecord {
  const headers: Record<string, Buffer> = {};
  for (const [k, v] of message.headers) headers[k.toString('utf8')] = v;
  return {
    topic: message.topic,
    partition: message.partition,
    offset: String(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    timestamp: String(message.timestamp),
  };
}

export class PlatformaticConsumer implements AsyncDisposable {
  readonly #consumer: Consumer;
  readonly #options: PlatformaticConsumerOptions;
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  #loop: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #memberId: string | undefined;

  private constructor(consumer: Consumer, options: PlatformaticConsumerOptions) {
    this.#consumer = consumer;
    this.#options = options;
    consumer.on('consumer:group:join', (payload) => {
      this.#memberId = payload.memberId;
    });
  }

  static async create(options: PlatformaticConsumerOptions): Promise<PlatformaticConsumer> {
    const { Consumer } = await loadPlatformatic();
    const group =
      options.groupProtocol === 'consumer'
        ? { groupProtocol: 'consumer' as const }
        : {
            groupProtocol: 'classic' as const,
            ...(options.sessionTimeoutMs !== undefined && { sessionTimeout: options.sessionTimeoutMs }),
            ...(options.heartbeatIntervalMs !== undefined && { heartbeatInterval: options.heartbeatIntervalMs }),
          };
    const consumer = new Consumer({
      ...platformaticBaseOptions(options),
      groupId: options.groupId,
      autocommit: false,
      maxWaitTime: options.maxWaitMs ?? 500,
      ...(options.minBytes !== undefined && { minBytes: options.minBytes }),
      ...group,
    } as ConsumerOptions<Buffer, Buffer, Buffer, Buffer>);
    return new PlatformaticConsumer(consumer, options);
  }

  /** The member id the group gave this consumer (after run() resolved). */
  get memberId(): string | undefined {
    return this.#memberId;
  }

  /**
   * Join the group and start handling records one after the other, committing each after its handler resolved.
   * Resolves once joined; `done` settles when the consumer stops (rejects with a handler's or the library's error).
   */
  async run(handler: RecordHandler): Promise<{ readonly done: Promise<void> }> {
    if (this.#loop) throw new Error('This consumer is already running: make another one for another handler.');
    const stream = await this.#consumer.consume({
      topics: [...this.#options.topics],
      mode: 'committed',
      fallbackMode: this.#options.fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
    });
    this.#stream = stream;
    this.#loop = (async () => {
      for await (const message of stream) {
        if (this.#stopping) break;
        await handler(toRecord(message));
        await message.commit();
      }
    })();
    // A failed loop stops the stream; the error stays with `done`.
    this.#loop.catch(() => this.stop());
    return { done: this.#loop };
  }

  /** Leave the group and close (idempotent); the record being handled finishes, nothing after it is read. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#stream?.close().catch(() => undefined);
      await this.#loop?.catch(() => undefined);
      await this.#consumer.close(true);
    })();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

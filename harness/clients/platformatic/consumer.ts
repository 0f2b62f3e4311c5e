import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer as PltConsumer, Message, MessagesStream } from '@platformatic/kafka';
import { ConfigError } from '../../errors.js';
import type {
  BatchPayload,
  ClientOptions,
  ConsumedMessage,
  Consumer,
  ConsumerEventNames,
  ConsumerOptions,
  ConsumerRunOptions,
  ConsumerSubscription,
  CrashEvent,
  GroupJoinEvent,
  RecordHeaders,
  RemoveListener,
  TopicPartitionOffset,
  TopicPartitions,
} from '../client-api.js';
import { platformaticBaseOptions } from './connection.js';
import { loadPlatformatic } from './load.js';

// client-api.ts's Consumer on @platformatic/kafka's message stream. The stream is read in takes of whatever it
// has buffered; each take is split into one batch per partition, handed to eachBatch (batches of several partitions
// at once, up to partitionsConsumedConcurrently, a partition's never). Commits are the adapter's, never the library's
// timer: explicit (commitOffsets) with autoCommit false, else after each batch handled (kafkajs's autoCommit). A
// handler that throws is a crash, as in kafkajs: the stream is closed and, unless
// restartOnFailure says no, opened again from the group's committed offsets, so nothing uncommitted is lost.

const EVENTS: ConsumerEventNames = {
  GROUP_JOIN: 'consumer.group_join',
  FETCH: 'consumer.fetch',
  CRASH: 'consumer.crash',
};
/** Most records taken from the stream's buffer at once (the stream itself fetches ahead up to its highWaterMark). */
const MAX_TAKE = 5_000;
const RESTART_DELAY_MS = 300;
const STREAM_BUFFER = 4_096;

type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;
const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function toConsumed(message: Message): ConsumedMessage {
  const headers: RecordHeaders = {};
  for (const [k, v] of message.headerEntries) {
    const name = k.toString('utf8');
    const had = headers[name];
    headers[name] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return {
    key: message.key ?? null,
    value: message.value ?? null,
    timestamp: String(message.timestamp),
    offset: String(message.offset),
    headers,
  };
}

/** Run `work` over `items` with at most `limit` at a time; the first failure is rethrown after all settled. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failures.length > 0) throw failures[0];
}

export class PlatformaticConsumer implements Consumer {
  readonly events = EVENTS;
  readonly #client: ClientOptions;
  readonly #options: ConsumerOptions;
  readonly #emitter = new EventEmitter();
  readonly #paused = new Set<string>();
  /** Records taken from the stream for a paused partition, handed over on resume. */
  readonly #held = new Map<string, Message[]>();
  #consumer: PltConsumer | undefined;
  #subscription: { topics: string[]; fromBeginning: boolean } | undefined;
  #stream: Stream | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #commits: Promise<void> = Promise.resolve();
  #streamError: Error | undefined;

  constructor(client: ClientOptions, options: ConsumerOptions) {
    this.#client = client;
    this.#options = options;
  }

  async connect(): Promise<void> {
    if (this.#consumer) return;
    const { Consumer } = await loadPlatformatic();
    const o = this.#options;
    const group =
      o.groupProtocol === 'consumer'
        ? {
            groupProtocol: 'consumer' as const,
            ...(o.rebalanceTimeout !== undefined && { rebalanceTimeout: o.rebalanceTimeout }),
          }
        : {
            groupProtocol: 'classic' as const,
            ...(o.sessionTimeout !== undefined && { sessionTimeout: o.sessionTimeout }),
            ...(o.heartbeatInterval !== undefined && { heartbeatInterval: o.heartbeatInterval }),
            ...(o.rebalanceTimeout !== undefined && { rebalanceTimeout: o.rebalanceTimeout }),
          };
    const consumer = new Consumer({
      ...platformaticBaseOptions(this.#client, o.retry),
      autocreateTopics: o.allowAutoTopicCreation ?? false,
      groupId: o.groupId,
      autocommit: false,
      maxWaitTime: o.maxWaitTimeInMs ?? 500,
      ...(o.minBytes !== undefined && { minBytes: o.minBytes }),
      ...(o.maxBytes !== undefined && { maxBytes: o.maxBytes }),
      ...(o.maxBytesPerPartition !== undefined && { maxBytesPerPartition: o.maxBytesPerPartition }),
      isolationLevel: o.readUncommitted ? 0 : 1,
      // Records the stream buffers ahead of the handler (the library's default is 1,024): a take is at most this
      // many records and costs a commit per partition, so larger takes mean fewer commit round trips.
      highWaterMark: STREAM_BUFFER,
      ...group,
    });
    consumer.on('consumer:group:join', (payload) => {
      const memberAssignment: Record<string, number[]> = {};
      for (const a of payload.assignments ?? consumer.assignments ?? []) memberAssignment[a.topic] = [...a.partitions];
      const event: GroupJoinEvent = {
        payload: {
          groupId: payload.groupId,
          memberId: payload.memberId,
          leaderId: payload.isLeader ? payload.memberId : '',
          isLeader: payload.isLeader ?? false,
          memberAssignment,
          groupProtocol: o.groupProtocol ?? 'classic',
          duration: 0,
        },
      };
      this.#emitter.emit(EVENTS.GROUP_JOIN, event);
    });
    await consumer.metadata({ topics: [] }); // connects: an unreachable cluster fails here, as kafkajs's connect does
    this.#consumer = consumer;
  }

  async subscribe(subscription: ConsumerSubscription): Promise<void> {
    const patterns = subscription.topics.filter((t) => t instanceof RegExp);
    if (patterns.length > 0) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `Kafka client "platformatic" subscribes to named topics only, not ${String(patterns[0])}.`,
        { key: 'topics', value: String(patterns[0]) },
      );
    }
    const topics = [...(this.#subscription?.topics ?? []), ...(subscription.topics as string[])];
    // Fails on a topic the cluster does not know (as kafkajs's subscribe does), so subscribeWhenKnown can wait for it.
    await this.#connected().metadata({ topics, forceUpdate: true });
    this.#subscription = { topics, fromBeginning: subscription.fromBeginning ?? false };
  }

  async run(options: ConsumerRunOptions = {}): Promise<void> {
    if (this.#running) throw new Error('The consumer is already running.');
    if (!this.#subscription) throw new Error('Subscribe before run().');
    this.#running = true;
    this.#stream = await this.#open();
    this.#loop = this.#consume(options);
  }

  async stop(): Promise<void> {
    if (!this.#running && !this.#loop) return;
    this.#running = false;
    this.#wake?.();
    const stream = this.#stream;
    this.#stream = undefined;
    await stream?.close().catch(() => undefined);
    await this.#loop;
    this.#loop = undefined;
    this.#held.clear();
    const consumer = this.#consumer;
    if (consumer) await (consumer.leaveGroup(false) as unknown as Promise<void>).catch(() => undefined);
  }

  async disconnect(): Promise<void> {
    await this.stop();
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.close(true);
  }

  /** One commit in flight per consumer (batches of several partitions commit at once): each waits for the one before. */
  commitOffsets(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    const consumer = this.#connected();
    const commit = this.#commits.then(() =>
      consumer.commit({
        offsets: offsets.map((o) => ({
          topic: o.topic,
          partition: o.partition,
          offset: BigInt(o.offset),
          leaderEpoch: -1,
        })),
      }),
    );
    this.#commits = commit.catch(() => undefined);
    return commit;
  }

  seek(_position: TopicPartitionOffset): void {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      'Kafka client "platformatic" cannot move a running stream (no seek): set offsets with the admin (setOffsets) while the group is empty.',
      {
        key: 'seek',
        value: 'platformatic',
      },
    );
  }

  pause(topics: TopicPartitions[]): void {
    for (const key of this.#keys(topics)) this.#paused.add(key);
  }

  resume(topics: TopicPartitions[]): void {
    for (const { topic, partitions } of topics) {
      if (partitions) for (const p of partitions) this.#paused.delete(keyOf(topic, p));
      else for (const key of this.#paused) if (key.startsWith(`${topic}\u0000`)) this.#paused.delete(key);
    }
    this.#wake?.();
  }

  on(event: ConsumerEventNames['GROUP_JOIN'], listener: (event: GroupJoinEvent) => void): RemoveListener;
  on(event: ConsumerEventNames['FETCH'], listener: (event: unknown) => void): RemoveListener;
  on(event: ConsumerEventNames['CRASH'], listener: (event: CrashEvent) => void): RemoveListener;
  on(event: string, listener: (event: never) => void): RemoveListener {
    if (!(Object.values(EVENTS) as string[]).includes(event))
      throw new Error(`Unknown consumer event "${event}"; known: ${Object.values(EVENTS).join(', ')}.`);
    const handler = listener as (...args: unknown[]) => void;
    this.#emitter.on(event, handler);
    return () => this.#emitter.off(event, handler);
  }

  #connected(): PltConsumer {
    if (!this.#consumer) throw new Error('The consumer is not connected: call connect() first.');
    return this.#consumer;
  }

  /** A paused partition's key, or the topic's wildcard key when all its partitions are. */
  #keys(topics: TopicPartitions[]): string[] {
    return topics.flatMap(({ topic, partitions }) =>
      partitions ? partitions.map((p) => keyOf(topic, p)) : [keyOf(topic, -1)],
    );
  }

  #isPaused(topic: string, partition: number): boolean {
    return this.#paused.has(keyOf(topic, partition)) || this.#paused.has(keyOf(topic, -1));
  }

  async #open(): Promise<Stream> {
    const { topics, fromBeginning } = this.#subscription!;
    const stream = await this.#connected().consume({
      topics,
      mode: 'committed',
      fallbackMode: fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
    });
    // For the stream's whole life: read in paused mode (#take), woken when records arrive, it ends or it fails.
    const wake = () => this.#wake?.();
    stream.on('readable', wake).on('end', wake).on('close', wake);
    stream.on('error', (error: Error) => {
      this.#streamError = error;
      wake();
    });
    return stream;
  }

  #assigned(topic: string, partition: number): boolean {
    const assignments = this.#consumer?.assignments;
    return !assignments || assignments.some((a) => a.topic === topic && a.partitions.includes(partition));
  }

  /** Whatever the stream has buffered (at least one record, or the records held for partitions resumed since), or undefined once stopped. */
  async #take(stream: Stream): Promise<Message[] | undefined> {
    for (;;) {
      if (!this.#running) return undefined;
      const taken: Message[] = [];
      for (const [key, held] of this.#held) {
        if (this.#isPaused(held[0]!.topic, held[0]!.partition)) continue;
        taken.push(...held);
        this.#held.delete(key);
      }
      let message: Message | null;
      while (taken.length < MAX_TAKE && (message = stream.read() as Message | null) !== null) taken.push(message);
      if (taken.length > 0) return taken;
      const failed = this.#streamError;
      this.#streamError = undefined;
      if (failed) throw failed;
      // Not stopped (checked above), yet the stream is gone: the library gave up on it (a fetch that failed while the
      // handler ran) without an error seen here. A crash, so the consumer restarts instead of going quiet.
      if (stream.destroyed || stream.readableEnded)
        throw new Error('The record stream of @platformatic/kafka closed while the consumer was running.');
      // Woken by the stream's listeners (#open), never by a listener added and removed here: removing a stream's
      // last 'readable' listener can switch it to flowing mode, where records are emitted with nobody reading them.
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
      const error = this.#streamError;
      this.#streamError = undefined;
      if (error) throw error;
    }
  }

  async #consume(options: ConsumerRunOptions): Promise<void> {
    let stream = this.#stream!;
    while (this.#running) {
      try {
        const taken = await this.#take(stream);
        if (!taken) return;
        this.#emitter.emit(EVENTS.FETCH, { payload: { numberOfBatches: taken.length } });
        const batches = new Map<string, Message[]>();
        for (const m of taken) {
          const key = keyOf(m.topic, m.partition);
          if (this.#isPaused(m.topic, m.partition)) {
            const held = this.#held.get(key);
            if (held) held.push(m);
            else this.#held.set(key, [m]);
            continue;
          }
          const batch = batches.get(key);
          if (batch) batch.push(m);
          else batches.set(key, [m]);
        }
        await eachLimited([...batches.values()], options.partitionsConsumedConcurrently ?? 1, (messages) =>
          this.#handle(messages, options),
        );
      } catch (error) {
        if (!this.#running) return; // a handler aborted by stop(): not a crash
        // Restart from the group's committed offsets: records handled but not committed are handed over again.
        this.#held.clear();
        await stream.close().catch(() => undefined);
        const reopened = (await this.#crashed(error as Error)) ? await this.#reopen() : undefined;
        if (!reopened) return;
        stream = reopened;
      }
    }
  }

  /** Reports a crash (CRASH); whether the consumer restarts (else it stops running). */
  async #crashed(error: Error): Promise<boolean> {
    const restart = this.#options.retry?.restartOnFailure
      ? await this.#options.retry.restartOnFailure(error).catch(() => false)
      : true;
    const event: CrashEvent = { payload: { error, groupId: this.#options.groupId, restart: restart && this.#running } };
    this.#emitter.emit(EVENTS.CRASH, event);
    if (!event.payload.restart) this.#running = false;
    return event.payload.restart;
  }

  /**
   * A new stream from the committed offsets, or undefined once stopped. Opening it can fail too (a broker or the
   * group coordinator still away): that is one more crash, and it is tried again, as kafkajs's restart does.
   */
  async #reopen(): Promise<Stream | undefined> {
    for (;;) {
      await sleep(RESTART_DELAY_MS);
      if (!this.#running) return undefined;
      try {
        const stream = (this.#stream = await this.#open());
        this.#streamError = undefined; // the closed stream's, if any
        return stream;
      } catch (error) {
        if (!this.#running || !(await this.#crashed(error as Error))) return undefined;
      }
    }
  }

  async #handle(messages: Message[], options: ConsumerRunOptions): Promise<void> {
    const { topic, partition } = messages[0]!;
    const consumed = messages.map(toConsumed);
    if (options.eachBatch) {
      const payload: BatchPayload = {
        batch: { topic, partition, highWatermark: String(messages.at(-1)!.offset + 1n), messages: consumed },
        resolveOffset: () => undefined, // progress is the stream's: it fetched past this batch already
        heartbeat: async () => undefined, // the library heartbeats in the background
        isRunning: () => this.#running,
        isStale: () => !this.#assigned(topic, partition),
      };
      await options.eachBatch(payload);
    } else if (options.eachMessage) {
      for (const message of consumed) {
        if (!this.#running || !this.#assigned(topic, partition)) return;
        await options.eachMessage({ topic, partition, message });
      }
    }
    // autoCommit (kafkajs's default, which the recorder and the load observer use): the batch, once handled.
    if (options.autoCommit ?? true) {
      if (this.#running && this.#assigned(topic, partition))
        await this.commitOffsets([{ topic, partition, offset: String(messages.at(-1)!.offset + 1n) }]);
    }
  }
}

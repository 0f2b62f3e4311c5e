import { setTimeout as sleep } from 'node:timers/promises';
import type {
  BatchPayload,
  ConsumedMessage,
  Consumer,
  ConsumerOptions as ClientConsumerOptions,
  KafkaClient,
} from './client-api.js';
import { retryDelayMs } from '../config/backoff.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig, topicNames } from '../config/index.js';
import { type TopicRole } from '../vocabulary.js';
import { causeChain, TimeoutError, type TopicError } from '../errors.js';
import {
  type DeadLetterCause,
  type DecodeResult,
  type FailedRecord,
  headersToText,
  ROLE_MESSAGE_TYPES,
} from '../protocol/index.js';
import type { DialectName } from '../vocabulary.js';
import { missingCodecError } from './codecs.js';
import { consumerSettings, type ConsumerSettings } from './settings.js';
import { DeadLetterPublisher } from './dead-letter-publisher.js';
import type { ProducerOptions } from './producer.js';
import { subscribeWhenKnown } from './subscribe.js';

/**
 * What to do with a record that is not a valid protocol message (not JSON, failing the schema, wrong key)
 * or whose handler keeps throwing:
 * - `dead-letter`: write it to the dlq topic (bytes unchanged, `kafka_dlt-*` headers), then commit (default
 *   when gamelan.kafka.dlq.enabled=true);
 * - `ignore`: count it, report it, commit it (SmallRye's `ignore`; the record is skipped);
 * - `fail`: throw from the consumer, which kafkajs retries and, after its retries, restarts (SmallRye's `fail`;
 *   default when dlq.enabled=false). The offset is not committed, so nothing is lost.
 */
export type PoisonStrategy = 'dead-letter' | 'ignore' | 'fail';

/** Where a record came from, for the handler. */
export interface RecordContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** Epoch milliseconds. */
  readonly timestamp: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The record's W3C traceparent, if valid: pass `childTraceparent(context.traceparent)` to what you send next. */
  readonly traceparent: string | undefined;
  /** Keep the group membership alive during long handlers. */
  heartbeat(): Promise<void>;
  /**
   * Commit this record's offset only once `work` has succeeded (e.g. the acknowledgement of the result it
   * sent), without waiting for it before the next record: the sends of a whole chunk share produce requests.
   * If `work` fails, the record and those after it stay uncommitted and are redelivered.
   */
  commitAfter(work: Promise<unknown>): void;
}

export type MessageHandler<M> = (message: M, context: RecordContext) => Promise<void> | void;

export interface ConsumerOptions<M> {
  readonly kafka: KafkaClient;
  readonly config?: GamelanKafkaConfig;
  /** Consumer group; default gamelan.kafka.consumer.group-id. Give each purpose its own group (spec: best practices). */
  readonly groupId?: string;
  readonly handler: MessageHandler<M>;
  /** Default from gamelan.kafka.dlq.enabled: `dead-letter` when true, `fail` when false. */
  readonly onPoison?: PoisonStrategy;
  /** How long start() waits for the group join (default 30 s). */
  readonly joinTimeoutMs?: number;
  /** Extra consumer settings (the client interface's; `groupProtocol: 'consumer'` needs a client that speaks KIP-848). */
  readonly consumer?: Omit<ClientConsumerOptions, 'groupId'>;
  /** Extra producer settings for the dead-letter publisher (e.g. its retry policy). */
  readonly deadLetterProducer?: ProducerOptions['producer'];
  /**
   * How many records of one partition's batch the handler may work on at once (default 1: one after the
   * other, in offset order). An executor with a worker pool sets more; offsets are still committed in order,
   * only up to the last record before which every record is done.
   */
  readonly handlerConcurrency?: number;
  /** Partitions whose batches are handled at the same time (default: gamelan.kafka.partitions). */
  readonly partitionsConsumedConcurrently?: number;
  /** The wire dialect it reads, and writes its dead letters in (default `spec`, the README). */
  readonly dialect?: DialectName;
}

export interface RejectedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly reason: string;
  readonly path: string | undefined;
  readonly message: string;
  /** What happened to it. */
  readonly outcome: 'dead-lettered' | 'ignored' | 'failed';
}

export interface ConsumerStats {
  /** Records received from Kafka (each delivery counts, redeliveries included). */
  readonly received: number;
  /** Records the handler accepted. */
  readonly handled: number;
  /** Rejected records, in total and by reason (MESSAGE_DECODE_FAILED, MESSAGE_INVALID, MESSAGE_KEY_INVALID, HANDLER_FAILED). */
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** Rejected records written to the dlq topic. */
  readonly deadLettered: number;
  /** Handler retries (not counting the first call). */
  readonly handlerRetries: number;
  /** Records whose offsets are committed (one commit covers a chunk of up to max-poll-records). */
  readonly committed: number;
  /** Dead-letter writes that failed (the record stays uncommitted and is redelivered). */
  readonly deadLetterFailures: number;
}

export interface ConsumerEvents<M> {
  handled: { readonly message: M; readonly context: RecordContext };
  rejected: RejectedRecord;
  committed: { readonly topic: string; readonly partition: number; readonly offset: string };
}

const CONSUMER_EVENTS = ['handled', 'rejected', 'committed'] as const;

/** Chunks of one partition handled while earlier chunks wait for their sends and commits. */
const PIPELINED_CHUNKS = 8;

const GROUP_ERRORS = new Set([
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'NOT_COORDINATOR_FOR_GROUP',
  'NOT_COORDINATOR',
]);

/** The Kafka group-membership error under kafkajs' wrappers, if that is what `error` is. */
function groupErrorOf(error: unknown): Error | undefined {
  return [...causeChain(error)].find((e) => typeof e.type === 'string' && GROUP_ERRORS.has(e.type)) as
    Error | undefined;
}

/** How long stop() waits for the batches in hand to commit what they finished. */
const STOP_DRAIN_MS = 10_000;

/** Handling a chunk stops taking records after this long: slow handlers' progress is committed as it goes. */
const CHUNK_TIME_MS = 500;

interface HandledChunk {
  /** Records taken from the offered chunk (all of them, unless handling took longer than CHUNK_TIME_MS). */
  readonly taken: number;
  /** Per record: its handler (or rejection) finished. */
  readonly done: boolean[];
  /** Per record: work its handler deferred with commitAfter. */
  readonly deferred: readonly Promise<unknown>[][];
  readonly failure: { readonly error: unknown } | undefined;
}

/**
 * Shared by every protocol consumer: batches per partition (several partitions at once), cut into chunks of
 * gamelan.kafka.consumer.max-poll-records; one commit per chunk, only after every record of it was handled or its
 * dead letter acknowledged (at-least-once: a crash redelivers the chunk, never skips it); poison records
 * dead-lettered and counted; handler failures retried with the dlq backoff from the configuration.
 */
export abstract class RecordConsumer<R extends TopicRole, M> implements AsyncDisposable {
  readonly topic: string;
  readonly groupId: string;
  readonly onPoison: PoisonStrategy;
  /** The wire dialect this consumer reads. */
  readonly dialect: DialectName;
  protected readonly consumer: Consumer;
  protected readonly config: GamelanKafkaConfig;
  readonly #settings: ConsumerSettings;
  readonly #options: ConsumerOptions<M>;
  #deadLetters: DeadLetterPublisher | undefined;
  #stopping: Promise<void> | undefined;
  /** Batches being handled: stop() lets them commit what is done before kafkajs stops (it drops commits after). */
  readonly #inFlight = new Set<Promise<void>>();
  readonly #listeners = new Map<keyof ConsumerEvents<M>, Set<(event: never) => void>>();
  #stats = {
    received: 0,
    handled: 0,
    rejected: 0,
    deadLettered: 0,
    handlerRetries: 0,
    committed: 0,
    deadLetterFailures: 0,
  };
  readonly #rejectedByReason: Record<string, number> = {};
  #failure: TopicError | undefined;

  protected constructor(
    readonly role: R,
    options: ConsumerOptions<M>,
  ) {
    this.config = options.config ?? DEFAULT_CONFIG;
    this.topic = topicNames(this.config)[role];
    this.#settings = consumerSettings(this.config, options.groupId);
    this.groupId = this.#settings.groupId;
    this.dialect = options.dialect ?? 'spec';
    this.onPoison = options.onPoison ?? (this.config.dlq.enabled ? 'dead-letter' : 'fail');
    if (role === 'dlq' && this.onPoison === 'dead-letter') this.onPoison = 'ignore'; // never dead-letter the dead letters
    this.#options = options;
    const retry = options.consumer?.retry;
    this.consumer = options.kafka.consumer({
      allowAutoTopicCreation: false,
      // The Java client's fetch.max.wait.ms default; kafkajs waits 5 s, which also delays every disconnect by up to 5 s.
      maxWaitTimeInMs: 500,
      ...options.consumer,
      // kafkajs restarts a crashed consumer after a delay, even when the crash came from a handler aborted by stop():
      // the stopped consumer would rejoin its group as a member nobody stops. Once stopping, never restart.
      retry: {
        ...retry,
        restartOnFailure: async (error) =>
          !this.#stopping && (retry?.restartOnFailure ? retry.restartOnFailure(error) : true),
      },
      groupId: this.#settings.groupId,
      sessionTimeout: this.#settings.sessionTimeout,
      heartbeatInterval: this.#settings.heartbeatInterval,
      minBytes: this.#settings.minBytes,
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.#failure ??= missingCodecError(payload.error, this.constructor.name, [this.topic]);
    });
  }

  /**
   * Why this consumer stopped reading, when kafkajs stopped it for good on a batch its client has no codec for
   * (TOPIC_READ_FAILED naming the codec and the fix; a client from your own kafkajs has no snappy codec).
   */
  get failure(): TopicError | undefined {
    return this.#failure;
  }

  /** Decode a record of this role: the message, or a typed failure. */
  protected abstract decode(
    message: ConsumedMessage,
    topic: string,
    partition: number,
  ): DecodeResult<{ message: M; key: string | null; traceparent: string | undefined }>;

  /** Connect (dlq publisher first), subscribe, run, and wait until the group is joined. */
  protected async start(): Promise<this> {
    if (this.onPoison === 'dead-letter') {
      this.#deadLetters = await DeadLetterPublisher.connect({
        kafka: this.#options.kafka,
        config: this.config,
        dialect: this.dialect,
        ...(this.#options.deadLetterProducer ? { producer: this.#options.deadLetterProducer } : {}),
      });
    }
    await this.consumer.connect();
    await subscribeWhenKnown(this.consumer, { topics: [this.topic], fromBeginning: this.#settings.fromBeginning });
    const joined = new Promise<void>((resolve) => {
      const off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(
        1,
        this.#options.partitionsConsumedConcurrently ?? this.config.partitions,
      ),
      eachBatch: (payload) => {
        const batch = this.#eachBatch(payload);
        this.#inFlight.add(batch);
        return batch.finally(() => this.#inFlight.delete(batch));
      },
    });
    const timeoutMs = this.#options.joinTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        joined,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new TimeoutError(
                  `${this.constructor.name} did not join group "${this.groupId}" on ${this.topic} within ${timeoutMs} ms.`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return this;
  }

  async #eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: BatchPayload): Promise<void> {
    if (this.#stopping) return; // nothing new once stopping; nothing resolved, so nothing is skipped
    const { topic, partition } = batch;
    const max = Math.max(1, this.config.consumer.maxPollRecords);
    // Chunks are handled one after the other; each one's commit waits for the work its handlers deferred
    // (their sends) and for the commit of the chunk before, so the next chunk is handled meanwhile.
    let commits: Promise<void> = Promise.resolve();
    let waiting = 0;
    try {
      for (let start = 0; start < batch.messages.length;) {
        if (!isRunning() || isStale()) break; // a rebalance took the partition: its next owner reads from the last commit
        const handled = await this.#handle(topic, partition, batch.messages.slice(start, start + max), heartbeat);
        // A chunk is max.poll.records records, or what slow handlers finished within CHUNK_TIME_MS: their progress is
        // committed as it goes rather than all at the end of the chunk.
        const chunk = batch.messages.slice(start, start + handled.taken);
        start += handled.taken;
        const previous = commits;
        commits = (async () => {
          await previous; // a chunk before failed: this one stays uncommitted too
          await this.#settle(topic, partition, chunk, handled);
          resolveOffset(chunk.at(-1)!.offset);
        })();
        commits.catch(() => undefined); // observed: awaited below
        if (handled.failure) break;
        if (++waiting >= PIPELINED_CHUNKS) {
          await this.#heartbeating(commits, heartbeat);
          waiting = 0;
        }
        await heartbeat();
      }
    } finally {
      try {
        await this.#heartbeating(commits, heartbeat); // rethrows the first failure: kafkajs redelivers from the last commit
      } catch (error) {
        // Stopping: what was done is committed, the rest is the next owner's; not a crash.
        if (!this.#stopping) throw error;
      }
    }
  }

  /** Await `work` while keeping the membership alive: a slow broker must not get this member evicted mid-batch. */
  async #heartbeating<T>(work: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const beat = () => {
      timer = setTimeout(
        () => {
          // A failed heartbeat (a rebalance) is the commit's failure to report, not this one's.
          void heartbeat()
            .catch(() => undefined)
            .finally(() => {
              if (!settled) beat();
            });
        },
        Math.max(100, this.#settings.heartbeatInterval),
      );
    };
    beat();
    try {
      return await work;
    } finally {
      settled = true;
      clearTimeout(timer);
    }
  }

  /** Handle one chunk's records (handlerConcurrency at a time); stops at the first failure. */
  async #handle(
    topic: string,
    partition: number,
    chunk: readonly ConsumedMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<HandledChunk> {
    const done = new Array<boolean>(chunk.length).fill(false);
    const deferred: Promise<unknown>[][] = chunk.map(() => []);
    let failure: { error: unknown } | undefined;
    const concurrency = Math.max(1, Math.min(this.#options.handlerConcurrency ?? 1, chunk.length));
    const deadline = performance.now() + CHUNK_TIME_MS;
    let next = 0;
    const worker = async () => {
      while (
        failure === undefined &&
        !this.#stopping &&
        next < chunk.length &&
        (next === 0 || performance.now() < deadline)
      ) {
        const index = next++;
        this.#stats.received++;
        try {
          await this.#one(topic, partition, chunk[index]!, heartbeat, deferred[index]!);
          done[index] = true;
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { taken: next, done: done.slice(0, next), deferred: deferred.slice(0, next), failure };
  }

  /** Wait for the chunk's deferred work, commit the longest prefix of it that is done, rethrow the first failure. */
  async #settle(
    topic: string,
    partition: number,
    chunk: readonly ConsumedMessage[],
    handled: HandledChunk,
  ): Promise<void> {
    const { done, deferred } = handled;
    let failure = handled.failure;
    await Promise.all(
      deferred.map(async (work, index) => {
        if (work.length === 0) return;
        try {
          await Promise.all(work);
        } catch (error) {
          done[index] = false;
          failure ??= { error };
        }
      }),
    );
    let prefix = 0;
    while (prefix < chunk.length && done[prefix]) prefix++;
    if (prefix > 0) await this.#commit(topic, partition, chunk[prefix - 1]!.offset, prefix);
    if (failure) throw failure.error;
  }

  /** One record: decoded, handled (with retries) or rejected. Throws when it must not be committed. */
  async #one(
    topic: string,
    partition: number,
    message: ConsumedMessage,
    heartbeat: () => Promise<void>,
    deferred: Promise<unknown>[],
  ): Promise<void> {
    const decoded = this.decode(message, topic, partition);
    if (!decoded.ok) {
      const { failure } = decoded;
      await this.#reject(topic, partition, message, {
        reason: failure.code,
        errorClass: failure.error.name,
        message: failure.error.message,
        path: failure.path,
        stack: failure.error.stack,
        error: failure.error,
      });
      return;
    }
    const context: RecordContext = {
      topic,
      partition,
      offset: message.offset,
      key: decoded.message.key,
      timestamp: message.timestamp,
      headers: headersToText(message.headers),
      traceparent: decoded.message.traceparent,
      heartbeat,
      commitAfter: (work) => {
        work.catch(() => undefined); // observed here; the chunk's commit awaits it and fails on it
        deferred.push(work);
      },
    };
    const { maxRetries } = this.config.dlq;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#options.handler(decoded.message.message, context);
        break;
      } catch (error) {
        if (this.#stopping) throw error; // stopping: leave the offset uncommitted, the next owner redelivers
        if (attempt < maxRetries) {
          this.#stats.handlerRetries++;
          await sleep(retryDelayMs(this.config.dlq, attempt + 1)); // attempt 0 failed: retry 1
          await heartbeat();
          continue;
        }
        const err = error instanceof Error ? error : new Error(String(error));
        await this.#reject(topic, partition, message, {
          reason: 'HANDLER_FAILED',
          errorClass: err.name,
          message: `handler failed ${maxRetries + 1} times: ${err.message}`,
          stack: err.stack,
          error: err,
        });
        return;
      }
    }
    this.#stats.handled++;
    this.#emit('handled', { message: decoded.message.message, context });
  }

  async #reject(
    topic: string,
    partition: number,
    message: ConsumedMessage,
    { error, ...cause }: Omit<DeadLetterCause, 'consumerGroup' | 'messageType'> & { readonly error: Error },
  ): Promise<void> {
    const key = message.key === null ? null : message.key.toString('utf8');
    const base = {
      topic,
      partition,
      offset: message.offset,
      key,
      reason: cause.reason,
      path: cause.path,
      message: cause.message,
    };
    if (this.onPoison === 'fail') {
      this.#count(cause.reason);
      this.#emit('rejected', { ...base, outcome: 'failed' });
      throw error; // kafkajs retries, then restarts the consumer; the offset stays uncommitted
    }
    if (this.onPoison === 'dead-letter') {
      const failed: FailedRecord = {
        topic,
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key,
        value: message.value,
        headers: message.headers,
      };
      // Throws if the dlq write fails: the offset stays uncommitted and kafkajs redelivers the record.
      try {
        await this.#deadLetters!.forward(failed, {
          ...cause,
          consumerGroup: this.groupId,
          messageType: ROLE_MESSAGE_TYPES[this.role],
        });
      } catch (dlqError) {
        this.#stats.deadLetterFailures++;
        throw dlqError;
      }
      this.#stats.deadLettered++;
    }
    this.#count(cause.reason);
    this.#emit('rejected', { ...base, outcome: this.onPoison === 'dead-letter' ? 'dead-lettered' : 'ignored' });
  }

  #count(reason: string): void {
    this.#stats.rejected++;
    this.#rejectedByReason[reason] = (this.#rejectedByReason[reason] ?? 0) + 1;
  }

  /** Commit past `offset`, the last of `records` records that are done. */
  async #commit(topic: string, partition: number, offset: string, records: number): Promise<void> {
    const next = (BigInt(offset) + 1n).toString();
    try {
      await this.consumer.commitOffsets([{ topic, partition, offset: next }]);
    } catch (error) {
      // The group moved on (this member was evicted, or a rebalance is on): hand kafkajs the protocol error
      // itself, not its retrier's wrapper, so its runner rejoins the group instead of crashing the consumer.
      // The chunk stays uncommitted and is redelivered to the partition's next owner.
      throw groupErrorOf(error) ?? error;
    }
    this.#stats.committed += records;
    this.#emit('committed', { topic, partition, offset: next });
  }

  /** Counts so far (a snapshot). */
  stats(): ConsumerStats {
    return { ...this.#stats, rejectedByReason: { ...this.#rejectedByReason } };
  }

  /** Listen to `handled`, `rejected` or `committed`; returns the unsubscribe function. */
  on<E extends keyof ConsumerEvents<M>>(event: E, listener: (event: ConsumerEvents<M>[E]) => void): () => void {
    if (!(CONSUMER_EVENTS as readonly string[]).includes(event)) {
      throw new TypeError(`Unknown consumer event "${String(event)}"; allowed: ${CONSUMER_EVENTS.join(', ')}.`);
    }
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  #emit<E extends keyof ConsumerEvents<M>>(event: E, payload: ConsumerEvents<M>[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        (listener as (event: ConsumerEvents<M>[E]) => void)(payload);
      } catch {
        // a listener's failure is not the record's failure
      }
    }
  }

  /** Stop consuming, then the dlq publisher (reverse order of start). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      // Let the batches in hand finish their current record and commit what is done (bounded: a handler that
      // ignores its abort signal does not hold the stop forever); kafkajs drops commits once it stops.
      await Promise.race([Promise.allSettled([...this.#inFlight]), sleep(STOP_DRAIN_MS)]);
      await this.consumer.disconnect();
      await this.#deadLetters?.stop();
    })();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

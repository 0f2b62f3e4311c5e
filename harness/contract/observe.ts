import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Consumer, KafkaClient } from '../clients/client-api.js';
import type { ObservedRecord } from './check.js';
import { subscribeWhenKnown } from '../clients/subscribe.js';

/** Reads the results (and dead-letter) topic from the beginning into memory, as raw records. */
export class ResultObserver implements AsyncDisposable {
  readonly results: ObservedRecord[] = [];
  /** Records the executor dead-lettered. */
  readonly deadLetters: ObservedRecord[] = [];
  /** The next offset to read, by `topic:partition` (what has been read so far). */
  readonly #positions = new Map<string, bigint>();
  #lastReadAt = Date.now();
  #stopping: Promise<void> | undefined;

  private constructor(
    private readonly consumer: Consumer,
    private readonly topics: { readonly results: string; readonly dlq: string },
  ) {}

  /** Subscribe and resolve once joined, so nothing is missed. */
  static async start(
    kafka: KafkaClient,
    topics: { readonly results: string; readonly dlq: string },
    groupId: string,
  ): Promise<ResultObserver> {
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      retry: { retries: 2 },
    });
    const observer = new ResultObserver(consumer, topics);
    await consumer.connect();
    await subscribeWhenKnown(consumer, { topics: [topics.results, topics.dlq], fromBeginning: true });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const record: ObservedRecord = {
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          ...(topic === topics.dlq ? { headers: message.headers ?? {}, timestamp: message.timestamp } : {}),
        };
        (topic === topics.results ? observer.results : observer.deadLetters).push(record);
        observer.#positions.set(`${topic}:${partition}`, BigInt(message.offset) + 1n);
        observer.#lastReadAt = Date.now();
      },
    });
    await joined;
    return observer;
  }

  /**
   * Wait until everything on the results and dead-letter topics up to now has been read (each partition read to
   * its end offset; one offset short counts once nothing new came for a second: a transaction marker is never
   * delivered). False when that did not happen within `timeoutMs`: what is missing may still arrive.
   */
  async readToEnd(admin: Admin, timeoutMs: number): Promise<boolean> {
    const ends = await Promise.all(
      [this.topics.results, this.topics.dlq].map(async (topic) =>
        (await admin.fetchTopicOffsets(topic)).map((p) => ({
          topic,
          partition: p.partition,
          low: BigInt(p.low),
          high: BigInt(p.high),
        })),
      ),
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const quiet = Date.now() - this.#lastReadAt >= 1_000;
      const done = ends.flat().every(({ topic, partition, low, high }) => {
        const read = this.#positions.get(`${topic}:${partition}`) ?? low;
        return read >= high || (quiet && read >= high - 1n);
      });
      if (done) return true;
      if (Date.now() >= deadline) return false;
      await sleep(100);
    }
  }

  stop(): Promise<void> {
    this.#stopping ??= this.consumer.disconnect().catch(() => undefined);
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

import type { Consumer, KafkaClient } from '../clients/client-api.js';
import type { ObservedRecord } from './check.js';
import { subscribeWhenKnown } from '../clients/subscribe.js';

/** Reads the results (and dead-letter) topic from the beginning into memory, as raw records. */
export class ResultObserver implements AsyncDisposable {
  readonly results: ObservedRecord[] = [];
  /** Records the executor dead-lettered. */
  readonly deadLetters: ObservedRecord[] = [];
  #stopping: Promise<void> | undefined;

  private constructor(private readonly consumer: Consumer) {}

  /** Subscribe and resolve once joined, so nothing is missed. */
  static async start(kafka: KafkaClient, topics: { readonly results: string; readonly dlq: string }, groupId: string): Promise<ResultObserver> {
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250, retry: { retries: 2 } });
    const observer = new ResultObserver(consumer);
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
        const record = { partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: message.value };
        (topic === topics.results ? observer.results : observer.deadLetters).push(record);
      },
    });
    await joined;
    return observer;
  }

  stop(): Promise<void> {
    this.#stopping ??= this.consumer.disconnect().catch(() => undefined);
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { prepareKafkajsConsumers } from '../clients/settings.js';
import { subscribeWhenKnown } from '../clients/subscribe.js';

export interface ReadTopicOptions {
  /** Start at the earliest record (default) or only take new ones. */
  readonly fromBeginning?: boolean;
  /** Keep reading new records until the signal aborts (tail -f); default: stop at the end offsets seen at start. */
  readonly follow?: boolean;
  /** Stop after this many records. */
  readonly max?: number;
  readonly signal?: AbortSignal;
}

/**
 * Read a topic with a throwaway consumer group (deleted afterwards), so reading commits nothing
 * anybody else relies on. Without `follow`, stops once every partition reached its end offset.
 */
export async function readTopic(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  onRecord: (record: { partition: number; message: KafkaMessage }) => void,
  options: ReadTopicOptions = {},
): Promise<number> {
  prepareKafkajsConsumers(); // the protocol's producers compress with snappy
  const fromBeginning = options.fromBeginning ?? true;
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { high: Number(p.high), low: Number(p.low) }]));
  const pending = new Set([...ends].filter(([, o]) => fromBeginning && o.high > o.low).map(([p]) => p));
  const groupId = `gamelan-harness-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  let count = 0;
  await consumer.connect();
  try {
    await subscribeWhenKnown(consumer, { topics: [topic], fromBeginning });
    await new Promise<void>((resolve, reject) => {
      const done = () => resolve();
      options.signal?.addEventListener('abort', done, { once: true });
      // A consumer crash (an undecodable batch, a lost broker) must fail the read, not hang it.
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      if (!options.follow && pending.size === 0) {
        done();
        return;
      }
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            if (options.max !== undefined && count >= options.max) return done();
            count += 1;
            onRecord({ partition, message });
            if (Number(message.offset) + 1 >= (ends.get(partition)?.high ?? Number.POSITIVE_INFINITY)) pending.delete(partition);
            if ((!options.follow && pending.size === 0) || (options.max !== undefined && count >= options.max)) done();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return count;
}

import { randomUUID } from 'node:crypto';
import type { Admin, ConsumedMessage, KafkaClient } from '../clients/client-api.js';
import { subscribeWhenKnown } from '../clients/subscribe.js';
import { TopicError } from '../errors.js';

export interface ReadTopicOptions {
  /** Start at the earliest record (default) or only take new ones. */
  readonly fromBeginning?: boolean;
  /** Keep reading new records until the signal aborts (tail -f); default: stop at the end offsets seen at start. */
  readonly follow?: boolean;
  /** Stop after this many records. */
  readonly max?: number;
  readonly signal?: AbortSignal;
  /**
   * Called when the consumer crashed on an error kafkajs restarts from (a lost broker, a group coordinator
   * moving): the read goes on from the last committed offset, records already handed over are not handed again.
   */
  readonly onRestart?: (error: Error, restartsInARow: number) => void;
  /**
   * Restarts in a row without a record read in between before the read fails with TOPIC_READ_FAILED
   * (default 3; with `follow`, unlimited: a tail waits for the broker like a Java consumer does).
   */
  readonly maxRestarts?: number;
}

/**
 * Read a topic with a throwaway consumer group (deleted afterwards), so reading commits nothing
 * anybody else relies on. Without `follow`, stops once every partition reached its end offset.
 * A crash kafkajs does not restart from (an undecodable batch, say) fails the read; one it restarts from
 * is reported to `onRestart` and the read goes on, each record still handed over once.
 */
export async function readTopic(
  kafka: KafkaClient,
  admin: Admin,
  topic: string,
  onRecord: (record: { partition: number; message: ConsumedMessage }) => void,
  options: ReadTopicOptions = {},
): Promise<number> {
  const fromBeginning = options.fromBeginning ?? true;
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { high: Number(p.high), low: Number(p.low) }]),
  );
  const pending = new Set([...ends].filter(([, o]) => fromBeginning && o.high > o.low).map(([p]) => p));
  const groupId = `gamelan-harness-reader-${randomUUID()}`;
  // A short session: after a restart the group waits for the old member (this reader's) to time out.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  let count = 0;
  /** Highest offset handed over per partition: a restarted consumer reads from its last commit again. */
  const handedUpTo = new Map<number, number>();
  let restartsInARow = 0;
  const maxRestarts = options.maxRestarts ?? (options.follow ? Number.POSITIVE_INFINITY : 3);
  await consumer.connect();
  try {
    await subscribeWhenKnown(consumer, { topics: [topic], fromBeginning });
    await new Promise<void>((resolve, reject) => {
      const done = () => resolve();
      options.signal?.addEventListener('abort', done, { once: true });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) return reject(payload.error); // kafkajs gave up on it: so does the read
        restartsInARow += 1;
        if (restartsInARow > maxRestarts) {
          reject(
            new TopicError(
              'TOPIC_READ_FAILED',
              `reading ${topic}: the consumer crashed ${restartsInARow} times in a row without reading a record (last: ${payload.error.message}); is the broker reachable? \`gamelan-harness doctor\` checks it`,
              {
                cause: payload.error,
                retriable: true,
              },
            ),
          );
          return;
        }
        options.onRestart?.(payload.error, restartsInARow);
      });
      if (!options.follow && pending.size === 0) {
        done();
        return;
      }
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            restartsInARow = 0;
            const offset = Number(message.offset);
            if (offset <= (handedUpTo.get(partition) ?? -1)) return; // read again after a restart
            handedUpTo.set(partition, offset);
            if (options.max !== undefined && count >= options.max) return done();
            count += 1;
            onRecord({ partition, message });
            if (offset + 1 >= (ends.get(partition)?.high ?? Number.POSITIVE_INFINITY)) pending.delete(partition);
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

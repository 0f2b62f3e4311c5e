import type { KafkaClient } from './client-api.js';
import { subscribeWhenKnown } from './subscribe.js';

/**
 * Commit offsets as an inactive group, for the kafkajs adapter's `admin.setOffsets`: kafkajs's own does the same
 * with a consumer that waits out a full default fetch (5 s); this one fetches for at most 50 ms. The caller checks
 * that the group has no active members (Kafka refuses to move theirs).
 */
export async function setOffsetsAsGroup(
  kafka: KafkaClient,
  {
    groupId,
    topic,
    partitions,
  }: { groupId: string; topic: string; partitions: readonly { partition: number; offset: string }[] },
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  await consumer.connect();
  try {
    await subscribeWhenKnown(consumer, { topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => void consumer.stop().then(resolve, reject));
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => {} }).catch(reject);
      consumer.pause([{ topic }]); // read nothing: only commit where it is told to seek
      for (const p of partitions) consumer.seek({ topic, partition: p.partition, offset: p.offset });
    });
  } finally {
    await consumer.disconnect();
  }
}

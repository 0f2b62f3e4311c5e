import type { Admin, Kafka } from 'kafkajs';
import { TopicError } from '../errors.js';
import { describeGroupAssignment } from '../recorder/group-watch.js';

/** One partition's consumer lag, as `kafka-consumer-groups --describe` reports it. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Committed offset of the group, or null when it has committed nothing there (the tool prints "-"). */
  readonly committed: number | null;
  /** Log end offset (high watermark). */
  readonly end: number;
  /** end − committed; with nothing committed, end − log start (what is left to read). */
  readonly lag: number;
  /** clientId/memberId of the member that owns it now, or null. */
  readonly owner: string | null;
}

/** Committed versus end offsets per partition, and who owns each partition. */
export async function consumerLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<PartitionLag[]> {
  const [committed, group] = await Promise.all([
    admin.fetchOffsets({ groupId, topics: [...topics] }),
    describeGroupAssignment(admin, groupId),
  ]);
  const ownerOf = (topic: string, partition: number) =>
    group.members.find((m) => m.assignment[topic]?.includes(partition))?.memberId ?? null;
  const out: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const p of lagOf(committed.find((c) => c.topic === topic)?.partitions ?? [], ends)) out.push({ topic, ...p, owner: ownerOf(topic, p.partition) });
  }
  return out;
}

/** Committed against end offsets of one topic's partitions (what the recorder samples over time, too). */
export function lagOf(
  commits: readonly { readonly partition: number; readonly offset: string }[],
  ends: readonly { readonly partition: number; readonly high: string; readonly low: string }[],
): { partition: number; committed: number | null; end: number; lag: number }[] {
  return [...ends]
    .sort((a, b) => a.partition - b.partition)
    .map((end) => {
      const raw = commits.find((c) => c.partition === end.partition)?.offset;
      const committed = raw === undefined || Number(raw) < 0 ? null : Number(raw);
      const high = Number(end.high);
      return { partition: end.partition, committed, end: high, lag: high - (committed ?? Number(end.low)) };
    });
}

export function totalLag(lags: readonly PartitionLag[]): number {
  return lags.reduce((sum, p) => sum + p.lag, 0);
}

export type ResetTarget = { readonly kind: 'earliest' } | { readonly kind: 'latest' } | { readonly kind: 'datetime'; readonly at: Date };

/**
 * Move a group's committed offsets, as `kafka-consumer-groups --reset-offsets … --execute` does.
 * The group must have no active members (Kafka refuses otherwise), so stop its consumers first.
 */
export async function resetOffsets(kafka: Kafka, admin: Admin, groupId: string, topic: string, target: ResetTarget): Promise<{ partition: number; offset: number }[]> {
  let partitions: { partition: number; offset: string }[];
  if (target.kind === 'datetime') {
    partitions = await admin.fetchTopicOffsetsByTimestamp(topic, target.at.getTime());
    // A timestamp after the last record gives -1 from older brokers: that means "the end".
    const ends = await admin.fetchTopicOffsets(topic);
    partitions = partitions.map((p) => (Number(p.offset) < 0 ? { partition: p.partition, offset: ends.find((e) => e.partition === p.partition)!.high } : p));
  } else {
    const offsets = await admin.fetchTopicOffsets(topic);
    partitions = offsets.map((o) => ({ partition: o.partition, offset: target.kind === 'earliest' ? o.low : o.high }));
  }
  await commitAsGroup(kafka, admin, groupId, topic, partitions);
  return partitions.map((p) => ({ partition: p.partition, offset: Number(p.offset) })).sort((a, b) => a.partition - b.partition);
}

/**
 * Commit offsets on behalf of an inactive group. kafkajs's admin.setOffsets does the same with a
 * consumer that waits out a full default fetch (5 s); this one fetches for at most 50 ms.
 */
async function commitAsGroup(kafka: Kafka, admin: Admin, groupId: string, topic: string, partitions: readonly { partition: number; offset: string }[]): Promise<void> {
  const { groups } = await admin.describeGroups([groupId]);
  const state = groups[0]?.state ?? 'Dead';
  if (!['Empty', 'Dead'].includes(state)) {
    throw new TopicError(
      'OFFSETS_RESET_REFUSED',
      `Cannot reset offsets of group ${groupId}: it has active members (state ${state}). Stop its consumers first, as kafka-consumer-groups requires.`,
    );
  }
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
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

import type { Admin } from 'kafkajs';
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
    const commits = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of [...ends].sort((a, b) => a.partition - b.partition)) {
      const raw = commits.find((c) => c.partition === end.partition)?.offset;
      const offset = raw === undefined || Number(raw) < 0 ? null : Number(raw);
      const high = Number(end.high);
      out.push({
        topic,
        partition: end.partition,
        committed: offset,
        end: high,
        lag: high - (offset ?? Number(end.low)),
        owner: ownerOf(topic, end.partition),
      });
    }
  }
  return out;
}

export function totalLag(lags: readonly PartitionLag[]): number {
  return lags.reduce((sum, p) => sum + p.lag, 0);
}

export type ResetTarget = { readonly kind: 'earliest' } | { readonly kind: 'latest' } | { readonly kind: 'datetime'; readonly at: Date };

/**
 * Move a group's committed offsets, as `kafka-consumer-groups --reset-offsets … --execute` does.
 * The group must have no active members (Kafka refuses otherwise), so stop its consumers first.
 */
export async function resetOffsets(admin: Admin, groupId: string, topic: string, target: ResetTarget): Promise<{ partition: number; offset: number }[]> {
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
  await admin.setOffsets({ groupId, topic, partitions });
  return partitions.map((p) => ({ partition: p.partition, offset: Number(p.offset) })).sort((a, b) => a.partition - b.partition);
}

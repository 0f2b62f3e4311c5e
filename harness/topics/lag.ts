import type { Admin } from '../clients/client-api.js';
import { describeGroupAssignment } from './group-assignment.js';

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
    for (const p of lagOf(committed.find((c) => c.topic === topic)?.partitions ?? [], ends))
      out.push({ topic, ...p, owner: ownerOf(topic, p.partition) });
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

import type { Admin, KafkaClient } from '../clients/client-api.js';
import { TopicError } from '../errors.js';
import { describeGroup } from '../clients/group-describe.js';

// Resetting a group's offsets as `kafka-consumer-groups --reset-offsets` does: a plan first (where each
// partition's committed offset is and where it would go), applied only on request (--execute).

export type ResetTarget =
  { readonly kind: 'earliest' } | { readonly kind: 'latest' } | { readonly kind: 'datetime'; readonly at: Date };

/** Where a group's offsets on a topic are, and where a reset would move them. */
export interface OffsetResetPlan {
  readonly groupId: string;
  readonly topic: string;
  /** The group's state now: only an Empty or Dead group can be reset. */
  readonly state: string;
  readonly partitions: readonly {
    readonly partition: number;
    /** The committed offset now, or null when the group has committed nothing there. */
    readonly current: number | null;
    readonly target: number;
  }[];
}

/** Whether the plan can be applied now (Kafka refuses to move the offsets of a group with active members). */
export const groupIsInactive = (plan: Pick<OffsetResetPlan, 'state'>): boolean =>
  ['Empty', 'Dead'].includes(plan.state);

/** Work out a reset without changing anything (`--dry-run`). */
export async function planOffsetReset(
  admin: Admin,
  groupId: string,
  topic: string,
  target: ResetTarget,
): Promise<OffsetResetPlan> {
  const [targets, committed, group] = await Promise.all([
    targetOffsets(admin, topic, target),
    admin.fetchOffsets({ groupId, topics: [topic] }),
    describeGroup(admin, groupId),
  ]);
  const current = committed.find((c) => c.topic === topic)?.partitions ?? [];
  return {
    groupId,
    topic,
    state: group.state,
    partitions: targets
      .map((p) => {
        const raw = current.find((c) => c.partition === p.partition)?.offset;
        return {
          partition: p.partition,
          current: raw === undefined || Number(raw) < 0 ? null : Number(raw),
          target: Number(p.offset),
        };
      })
      .sort((a, b) => a.partition - b.partition),
  };
}

/** Commit a plan's target offsets as the group (`--execute`); refuses a group with active members. */
export async function applyOffsetReset(kafka: KafkaClient, admin: Admin, plan: OffsetResetPlan): Promise<void> {
  await commitAsGroup(
    kafka,
    admin,
    plan.groupId,
    plan.topic,
    plan.partitions.map((p) => ({ partition: p.partition, offset: String(p.target) })),
  );
}

/**
 * Move a group's committed offsets, as `kafka-consumer-groups --reset-offsets … --execute` does.
 * The group must have no active members (Kafka refuses otherwise), so stop its consumers first.
 */
export async function resetOffsets(
  kafka: KafkaClient,
  admin: Admin,
  groupId: string,
  topic: string,
  target: ResetTarget,
): Promise<{ partition: number; offset: number }[]> {
  const partitions = await targetOffsets(admin, topic, target);
  await commitAsGroup(kafka, admin, groupId, topic, partitions);
  return partitions
    .map((p) => ({ partition: p.partition, offset: Number(p.offset) }))
    .sort((a, b) => a.partition - b.partition);
}

/** The offset each partition of the topic would be reset to. */
async function targetOffsets(
  admin: Admin,
  topic: string,
  target: ResetTarget,
): Promise<{ partition: number; offset: string }[]> {
  if (target.kind === 'datetime') {
    const partitions = await admin.fetchTopicOffsetsByTimestamp(topic, target.at.getTime());
    // A timestamp after the last record gives -1 from older brokers: that means "the end".
    const ends = await admin.fetchTopicOffsets(topic);
    return partitions.map((p) =>
      Number(p.offset) < 0
        ? { partition: p.partition, offset: ends.find((e) => e.partition === p.partition)!.high }
        : p,
    );
  }
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((o) => ({ partition: o.partition, offset: target.kind === 'earliest' ? o.low : o.high }));
}

/** Commit offsets on behalf of an inactive group (the client's admin.setOffsets); refuses a group with active members. */
async function commitAsGroup(
  _kafka: KafkaClient,
  admin: Admin,
  groupId: string,
  topic: string,
  partitions: readonly { partition: number; offset: string }[],
): Promise<void> {
  // Either protocol: a consumer-protocol group (KIP-848) looks empty and Dead to the classic describe.
  const { state } = await describeGroup(admin, groupId);
  if (!['Empty', 'Dead'].includes(state)) {
    throw new TopicError(
      'OFFSETS_RESET_REFUSED',
      `Cannot reset offsets of group ${groupId}: it has active members (state ${state}). Stop its consumers first, as kafka-consumer-groups requires.`,
    );
  }
  await admin.setOffsets({ groupId, topic, partitions: [...partitions] });
}

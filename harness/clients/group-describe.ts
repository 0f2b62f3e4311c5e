import type { Admin, GroupProtocol } from './client-api.js';
import { decodeMemberAssignment } from './member-assignment.js';

export { GROUP_PROTOCOLS, type GroupProtocol } from './client-api.js';

/** A consumer group as the broker describes it, whichever protocol its members joined with. */
export interface DescribedGroup {
  readonly groupId: string;
  /** The protocol its members use; null when the broker knows no such group. */
  readonly protocol: GroupProtocol | null;
  /** The broker's words: Empty, Stable, PreparingRebalance, … (classic); Empty, Assigning, Reconciling, Stable (consumer); Dead. */
  readonly state: string;
  readonly members: readonly {
    readonly memberId: string;
    readonly clientId: string;
    readonly clientHost: string;
    /** topic → partitions this member owns (sorted). */
    readonly assignment: Readonly<Record<string, readonly number[]>>;
  }[];
}

/**
 * Describe a group of either protocol. The classic describe answers a consumer-protocol group (KIP-848, Kafka 4)
 * with an empty "Dead" group, so such an answer is asked again with ConsumerGroupDescribe.
 */
export async function describeGroup(admin: Admin, groupId: string): Promise<DescribedGroup> {
  const { groups } = await admin.describeGroups([groupId]);
  const classic = groups[0];
  if (classic && !(classic.state === 'Dead' && classic.members.length === 0)) {
    const members = classic.members
      .map((m) => {
        const decoded = decodeMemberAssignment(m.memberAssignment);
        const assignment: Record<string, number[]> = {};
        for (const [topic, partitions] of Object.entries(decoded ?? {}))
          assignment[topic] = [...partitions].sort((a, b) => a - b);
        return { memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost, assignment };
      })
      .sort((a, b) => a.memberId.localeCompare(b.memberId));
    return { groupId, protocol: 'classic', state: classic.state, members };
  }
  const consumer = await admin.describeConsumerGroup?.(groupId);
  if (consumer) return { groupId, protocol: 'consumer', state: consumer.state, members: consumer.members };
  return { groupId, protocol: null, state: 'Dead', members: [] };
}

import type { Admin } from '../clients/client-api.js';
import { describeGroup, type GroupProtocol } from '../clients/group-describe.js';

// Who owns which partitions of a consumer group: read through the admin API, for lag (`consumerLag`) and for the
// recorder's membership history.

/** One consumer group's membership and partition ownership at a moment. */
export interface GroupSnapshot {
  readonly at: number;
  readonly groupId: string;
  readonly state: string;
  /** The consumer group protocol its members joined with (classic, or Kafka 4's consumer protocol, KIP-848). */
  readonly protocol?: GroupProtocol;
  readonly members: readonly {
    readonly memberId: string;
    readonly clientId: string;
    /** topic → partitions this member owns. */
    readonly assignment: Readonly<Record<string, readonly number[]>>;
  }[];
}

/** Describe a group (either protocol) through the admin API: who owns which partitions. */
export async function describeGroupAssignment(admin: Admin, groupId: string, at = Date.now()): Promise<GroupSnapshot> {
  const group = await describeGroup(admin, groupId);
  const members = group.members.map(({ memberId, clientId, assignment }) => ({ memberId, clientId, assignment }));
  return {
    at,
    groupId,
    state: group.protocol === null ? 'Unknown' : group.state,
    ...(group.protocol ? { protocol: group.protocol } : {}),
    members,
  };
}

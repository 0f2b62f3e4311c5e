import type { Admin } from '../clients/client-api.js';
import { describeGroup } from '../clients/group-describe.js';
import type { GroupSnapshot } from './types.js';

/** A comparable form of a snapshot, ignoring time. */
export function snapshotKey(s: GroupSnapshot): string {
  return JSON.stringify([s.state, s.members.map((m) => [m.memberId, m.assignment])]);
}

/** Describe a group (either protocol) through the admin API: who owns which partitions. */
export async function describeGroupAssignment(admin: Admin, groupId: string, at = Date.now()): Promise<GroupSnapshot> {
  const group = await describeGroup(admin, groupId);
  const members = group.members.map(({ memberId, clientId, assignment }) => ({ memberId, clientId, assignment }));
  return { at, groupId, state: group.protocol === null ? 'Unknown' : group.state, ...(group.protocol ? { protocol: group.protocol } : {}), members };
}

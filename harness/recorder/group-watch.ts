import type { Admin } from '../clients/client-api.js';
import { decodeMemberAssignment } from '../clients/member-assignment.js';
import type { GroupSnapshot } from './types.js';

/** A comparable form of a snapshot, ignoring time. */
export function snapshotKey(s: GroupSnapshot): string {
  return JSON.stringify([s.state, s.members.map((m) => [m.memberId, m.assignment])]);
}

/** Describe a group through the admin API and decode who owns which partitions. */
export async function describeGroupAssignment(admin: Admin, groupId: string, at = Date.now()): Promise<GroupSnapshot> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  const members = (group?.members ?? [])
    .map((m) => {
      const decoded = decodeMemberAssignment(m.memberAssignment);
      const assignment: Record<string, number[]> = {};
      for (const [topic, partitions] of Object.entries(decoded ?? {})) assignment[topic] = [...partitions].sort((a, b) => a - b);
      return { memberId: m.memberId, clientId: m.clientId, assignment };
    })
    .sort((a, b) => a.memberId.localeCompare(b.memberId));
  return { at, groupId, state: group?.state ?? 'Unknown', members };
}

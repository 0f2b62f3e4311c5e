import type { GroupSnapshot } from '../topics/group-assignment.js';

/** A comparable form of a snapshot, ignoring time. */
export function snapshotKey(s: GroupSnapshot): string {
  return JSON.stringify([s.state, s.members.map((m) => [m.memberId, m.assignment])]);
}

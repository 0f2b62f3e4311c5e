import type { GroupSnapshot } from '../../topics/group-assignment.js';

/** One consumer group's membership and partition ownership over time, as lanes of segments. */
export interface MembershipModel {
  readonly groupId: string;
  /** The consumer group protocol its members joined with, when the recording says. */
  readonly protocol?: string;
  /** ms since the scenario's first moment at which the last segment ends. */
  readonly end: number;
  readonly members: readonly { readonly id: string; readonly label: string }[];
  /** One lane per partition owned at some point: [start ms, end ms, member index]. */
  readonly lanes: readonly {
    readonly label: string;
    readonly title: string;
    readonly segments: readonly (readonly [number, number, number])[];
  }[];
  /** When the group's state changed: [ms, state, member count]. */
  readonly states: readonly (readonly [number, string, number])[];
}

/**
 * Snapshots (each differing from the one before) as segments: a partition is owned by a member from one
 * snapshot until the next that says otherwise, the last until `endAt`. Topic names show as their role when known.
 */
export function buildMembership(
  snapshots: readonly GroupSnapshot[],
  t0: number,
  endAt: number,
  roleOf: ReadonlyMap<string, string>,
): MembershipModel[] {
  const byGroup = new Map<string, GroupSnapshot[]>();
  for (const s of [...snapshots].sort((a, b) => a.at - b.at))
    byGroup.set(s.groupId, [...(byGroup.get(s.groupId) ?? []), s]);
  // A group that never had a member (watched, but nobody joined it) has no timeline to draw.
  const joined = [...byGroup].filter(([, list]) => list.some((s) => s.members.length > 0));
  return joined.map(([groupId, list]) => {
    const members: { id: string; label: string }[] = [];
    const memberIndex = new Map<string, number>();
    const lanes = new Map<string, { label: string; title: string; segments: [number, number, number][] }>();
    const states: [number, string, number][] = [];
    const end = Math.max(0, endAt - t0, ...list.map((s) => s.at - t0));
    list.forEach((snapshot, i) => {
      const from = Math.max(0, snapshot.at - t0);
      const to = i + 1 < list.length ? Math.max(0, list[i + 1]!.at - t0) : end;
      if (states.at(-1)?.[1] !== snapshot.state || states.at(-1)?.[2] !== snapshot.members.length)
        states.push([from, snapshot.state, snapshot.members.length]);
      for (const member of snapshot.members) {
        if (!memberIndex.has(member.memberId)) {
          // memberIds are `<clientId>-<uuid>`: the client id and the uuid's first characters tell members apart.
          const tail = member.memberId.slice(member.clientId.length + 1, member.clientId.length + 9);
          memberIndex.set(
            member.memberId,
            members.push({ id: member.memberId, label: `${member.clientId} ${tail}`.trim() }) - 1,
          );
        }
        const m = memberIndex.get(member.memberId)!;
        for (const [topic, partitions] of Object.entries(member.assignment)) {
          for (const partition of partitions) {
            const key = `${topic}:${partition}`;
            const lane = lanes.get(key) ?? {
              label: `${roleOf.get(topic) ?? topic} p${partition}`,
              title: `${topic} partition ${partition}`,
              segments: [],
            };
            lanes.set(key, lane);
            const last = lane.segments.at(-1);
            if (last && last[2] === m && last[1] === from) last[1] = to;
            else lane.segments.push([from, to, m]);
          }
        }
      }
    });
    const ordered = [...lanes.entries()].sort(([a], [b]) => {
      const [ta, pa] = [a.slice(0, a.lastIndexOf(':')), Number(a.slice(a.lastIndexOf(':') + 1))];
      const [tb, pb] = [b.slice(0, b.lastIndexOf(':')), Number(b.slice(b.lastIndexOf(':') + 1))];
      return ta.localeCompare(tb) || pa - pb;
    });
    const protocol = list.findLast((s) => s.protocol)?.protocol;
    return { groupId, ...(protocol ? { protocol } : {}), end, members, lanes: ordered.map(([, lane]) => lane), states };
  });
}

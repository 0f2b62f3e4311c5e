import type { FlowRecorder } from '../recorder/recorder.js';
import type { GroupSnapshot } from '../topics/group-assignment.js';
import { optionsObject } from './options-object.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

/** Why a snapshot is not "N members, every partition of the topic owned exactly once", or undefined. */
export function ownershipProblem(
  snapshot: GroupSnapshot,
  members: number,
  topic: string,
  partitions: number,
): string | undefined {
  if (snapshot.state !== 'Stable') return `group state is ${snapshot.state}`;
  if (snapshot.members.length !== members) return `${snapshot.members.length} members`;
  const owned = snapshot.members.flatMap((m) => m.assignment[topic] ?? []).sort((a, b) => a - b);
  const expected = Array.from({ length: partitions }, (_, i) => i);
  if (show(owned) !== show(expected))
    return `partitions owned ${show(owned)} instead of each of ${show(expected)} once`;
  if (snapshot.members.some((m) => (m.assignment[topic] ?? []).length === 0) && members <= partitions)
    return 'a member owns nothing';
  return undefined;
}

export interface RebalancedOptions extends WaitOptions {
  readonly groupId: string;
  /** Members the group must have, Stable. */
  readonly members: number;
  readonly topic: string;
  /** Partitions of `topic`: each must be owned by exactly one member. */
  readonly partitions: number;
}

/** `({ groupId, members, topic, partitions, ...options })`, checked to be an object. */
export const rebalancedOptions = (value: unknown, form: string): RebalancedOptions =>
  optionsObject<RebalancedOptions>(value, form, '{ groupId, members, topic, partitions, ...options }');

/** The group rebalanced to `members` members with every partition of `topic` owned by exactly one. */
export function rebalancedTo(recorder: FlowRecorder, given: RebalancedOptions): Promise<MatchResult> {
  const options = rebalancedOptions(given, 'rebalancedTo');
  const { groupId, members, topic, partitions } = options;
  return eventually(async () => {
    const snapshot = await recorder.snapshotGroup(groupId);
    const problem = ownershipProblem(snapshot, members, topic, partitions);
    const view = snapshot.members.map((m) => ({ member: m.clientId, [topic]: m.assignment[topic] ?? [] }));
    return problem === undefined
      ? pass(`expected group ${groupId} not to have ${members} members owning ${topic} once each: ${show(view)}`, view)
      : fail(
          `expected group ${groupId} to be Stable with ${members} members owning each partition of ${topic} once; ${problem}: ${show(view)}`,
          {
            state: snapshot.state,
            members: snapshot.members.length,
            owned: snapshot.members.flatMap((m) => m.assignment[topic] ?? []).sort((a, b) => a - b),
          },
          { state: 'Stable', members, owned: Array.from({ length: partitions }, (_, i) => i) },
        );
  }, options);
}

import type { RemovedResources, RemoveWhenStopped } from '../workspace/index.js';

// `run`, `contract` and `load` on a cluster they did not start (external, or `up`'s) remove the topics and groups
// they made there when they end, and say so; `--keep` keeps them for debugging. On a broker they started nothing is
// removed: it goes away with everything on it. One home for the three commands, so they say it the same way.

export const KEEP_OPTION = {
  type: 'boolean',
  default: false,
  describe:
    'On a cluster this command did not start (external, or the one from `up`): keep the topics and consumer groups it created (default: removed when it ends)',
} as const;

export interface ClusterCleanup {
  /** For the workspace(s): set when the run's topics and groups are to be removed. */
  readonly removeWhenStopped?: RemoveWhenStopped;
  /** The line to print at the end (undefined on a broker the command started). */
  summary(bootstrapServers: readonly string[]): string | undefined;
}

export function clusterCleanup(brokerKind: string, keep: boolean): ClusterCleanup {
  if (brokerKind !== 'external') return { summary: () => undefined };
  if (keep) {
    return {
      summary: (servers) =>
        `Kept the topics and consumer groups this run created on ${servers.join(',')} (--keep); remove them when you are done.`,
    };
  }
  const removed: RemovedResources[] = [];
  return {
    removeWhenStopped: { onRemoved: (r) => removed.push(r) },
    summary: (servers) => {
      const topics = removed.flatMap((r) => r.topics);
      const groups = removed.flatMap((r) => r.groups);
      const problems = removed.flatMap((r) => r.problems);
      const what = `${topics.length} topic${topics.length === 1 ? '' : 's'} and ${groups.length} consumer group${groups.length === 1 ? '' : 's'}`;
      const prefixes = removed.map((r) => `${r.prefix}.*`).join(', ');
      return (
        `Removed what this run created on ${servers.join(',')}, a cluster it did not start: ${what}${prefixes ? ` (${prefixes})` : ''}; --keep keeps them.` +
        (problems.length ? `\nCould not remove: ${problems.join('; ')}` : '')
      );
    },
  };
}

import { describe, expect, it } from 'vitest';
import { clusterCleanup } from '../../../harness/cli/cluster-cleanup.js';

// What `run`, `contract` and `load` say about the topics and groups they made on a cluster they did not start.
describe('clusterCleanup', () => {
  it('on a broker the command started: removes nothing and says nothing', () => {
    const cleanup = clusterCleanup('native', false);
    expect(cleanup.removeWhenStopped).toBeUndefined();
    expect(cleanup.summary(['127.0.0.1:9092'])).toBeUndefined();
  });

  it('on an external cluster: asks the workspaces to remove, and sums up what they removed', () => {
    const cleanup = clusterCleanup('external', false);
    expect(cleanup.removeWhenStopped).toBeDefined();
    cleanup.removeWhenStopped!.onRemoved!({
      prefix: 's-a-1',
      topics: ['s-a-1.t1', 's-a-1.t2'],
      groups: ['s-a-1.g'],
      problems: [],
    });
    cleanup.removeWhenStopped!.onRemoved!({
      prefix: 's-b-2',
      topics: ['s-b-2.t1'],
      groups: [],
      problems: ['groups under s-b-2.: timeout'],
    });
    expect(cleanup.summary(['k:9092'])).toBe(
      'Removed what this run created on k:9092, a cluster it did not start: 3 topics and 1 consumer group (s-a-1.*, s-b-2.*); --keep keeps them.\nCould not remove: groups under s-b-2.: timeout',
    );
  });

  it('--keep on an external cluster: removes nothing and says it kept them', () => {
    const cleanup = clusterCleanup('external', true);
    expect(cleanup.removeWhenStopped).toBeUndefined();
    expect(cleanup.summary(['k:9092'])).toContain(
      'Kept the topics and consumer groups this run created on k:9092 (--keep)',
    );
  });
});

import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import '../../../harness/vitest/index.js';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { DEFAULT_CONFIG, topicNames } from '../../../harness/config/index.js';
import { behaviours } from '../../../harness/executors/handler.js';
import { onBroker } from '../../../harness/stack/on-broker.js';
import { openWorkspace } from '../../../harness/workspace/index.js';
import { startTestBroker, testBrokerKind } from '../../support/broker.js';

// The workspace on a real broker: its own topics, everything it started stopped together by one cleanup,
// and the caller's broker left running.
let broker: StartedBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker?.stop());

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Members of a consumer group as the broker sees them. */
async function members(groupId: string): Promise<number> {
  const admin = await broker.admin();
  const { groups } = await admin.describeGroups([groupId]);
  return groups[0]?.members.length ?? 0;
}

describe('openWorkspace', () => {
  it('provisions its own five topics under a unique prefix, with its own group', async () => {
    await using a = await openWorkspace(broker, DEFAULT_CONFIG, { name: 'ws-topics', overrides: { partitions: 2 } });
    await using b = await openWorkspace(broker, DEFAULT_CONFIG, { name: 'ws-topics' });
    expect(a.prefix).not.toBe(b.prefix);
    expect(a.dialect).toBe('spec');
    expect(a.topics).toEqual(topicNames(a.config));
    expect(a.config.consumer.groupId).toBe(`${a.prefix}.gamelan-executors`);
    expect(a.groupId('observer')).toBe(`${a.prefix}.observer`);
    expect([...a.provisioned.created].sort()).toEqual(Object.values(a.topics).sort());
    const metadata = await a.admin.fetchTopicMetadata({ topics: [a.topics.tasks] });
    expect(metadata.topics[0]!.partitions).toHaveLength(2);
  });

  it('stops everything it started, together and once; the broker stays up', async () => {
    const ws = await openWorkspace(broker, DEFAULT_CONFIG, { name: 'ws-stop' });
    onTestFinished(() => ws.stop()); // also when an expectation fails half-way
    const recorder = await ws.startRecorder();
    const engine = await ws.startEngine();
    await ws.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() });
    const child = await ws.startExecutorProcess({ executorType: 'idle-executor', groupId: ws.groupId('idle') }); // its own group: it only skips
    const { runId } = await engine.startRun('bulk-import', { tenantId: 'ws' });
    await expect(recorder).toHaveCompletedRun(runId, { timeoutMs: 20_000 });
    expect(await members(ws.config.consumer.groupId)).toBe(1);
    expect(await members(engine.groupId)).toBe(1);
    expect(alive(child.pid)).toBe(true);

    await Promise.all([ws.stop(), ws.stop()]);
    await ws[Symbol.asyncDispose]();
    expect(await members(ws.config.consumer.groupId)).toBe(0);
    expect(await members(engine.groupId)).toBe(0);
    expect(await members(recorder.groupId)).toBe(0);
    expect(alive(child.pid)).toBe(false);
    expect(await (await broker.admin()).listTopics()).toContain(ws.topics.tasks);
  });

  it('stops a resource handed to it after it has stopped at once (a timed-out scenario still running)', async () => {
    const ws = await openWorkspace(broker, DEFAULT_CONFIG, { name: 'ws-late' });
    await ws.stop();
    let stopped = 0;
    ws.own({ stop: async () => void stopped++ });
    await expect.poll(() => stopped).toBe(1);
  });
});

// Who owns the broker: a run given one only uses it; a run given none gets a stack that is stopped when it ends.
describe('onBroker', () => {
  it("runs on the caller's broker with the given or the spec's configuration, and leaves it running", async () => {
    const seen = await onBroker({ broker }, async (b, config) => ({ b, config }));
    expect(seen.b).toBe(broker);
    expect(seen.config).toBe(DEFAULT_CONFIG);
    await expect((await broker.admin()).listTopics()).resolves.toBeInstanceOf(Array);
  });

  it('without a broker, starts a stack for the run and stops it when the run ends, also when the run throws', async () => {
    let started: StartedBroker | undefined;
    const run = onBroker({ stack: { kafka: await testBrokerKind() } }, async (b, config) => {
      started = b;
      expect(config.tasks.topic).toBe(DEFAULT_CONFIG.tasks.topic); // the stack's loaded configuration
      expect(await (await b.admin()).listTopics()).toContain(config.tasks.topic); // provisioned
      throw new Error('the run failed');
    });
    await expect(run).rejects.toThrow('the run failed');
    expect(started).toBeDefined();
    expect(started).not.toBe(broker);
    await expect(started!.admin()).rejects.toThrow(); // a running broker would hand out its admin
  });
});

// Issue #22: on a cluster the caller did not start, `contract`, `run` and `load` left their topics and groups behind
// on every run. With removeWhenStopped the workspace removes what it made, after its clients are gone.
describe('removeWhenStopped', () => {
  async function clusterState(prefix: string): Promise<{ topics: string[]; groups: string[] }> {
    const admin = await broker.admin();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${prefix}.`));
    return { topics, groups };
  }

  it('removes the topics it created and the groups under its prefix, and says which', async () => {
    const removed: { topics: readonly string[]; groups: readonly string[]; problems: readonly string[] }[] = [];
    const workspace = await openWorkspace(broker, DEFAULT_CONFIG, {
      name: 'ws-remove',
      removeWhenStopped: { onRemoved: (r) => removed.push(r) },
    });
    await workspace.startEngine();
    const before = await clusterState(workspace.prefix);
    expect(before.topics).toHaveLength(5);
    expect(before.groups).toContain(`${workspace.prefix}.gamelan-engine`);
    await workspace.stop();
    expect(removed).toHaveLength(1);
    expect([...removed[0]!.topics].sort()).toEqual([...before.topics].sort());
    expect(removed[0]!.groups).toEqual(before.groups);
    expect(removed[0]!.problems).toEqual([]);
    expect(await clusterState(workspace.prefix)).toEqual({ topics: [], groups: [] });
  });

  it('without it, what the workspace made stays (a broker the caller started goes with it)', async () => {
    const workspace = await openWorkspace(broker, DEFAULT_CONFIG, { name: 'ws-keep' });
    await workspace.startEngine();
    await workspace.stop();
    expect((await clusterState(workspace.prefix)).topics).toHaveLength(5);
  });
});

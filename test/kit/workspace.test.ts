import { describe, expect, it } from 'vitest';
import { behaviours } from '../../harness/index.js';
import { gamelanKafka, useWorkspace } from '../../harness/vitest/index.js';

// A workspace per test file on the global setup's broker, as users write it: its own topics and groups,
// starters, and one cleanup after the file.
const workspace = useWorkspace();

describe('useWorkspace()', () => {
  it("opens this file's own topics and group on the shared broker", async () => {
    const { prefix, topics, config, bootstrapServers, admin } = workspace();
    expect(prefix).toMatch(/^workspace-[0-9a-f]{6}$/);
    expect(bootstrapServers).toEqual(gamelanKafka().bootstrapServers);
    expect(Object.values(topics).every((t) => t.startsWith(`${prefix}.`))).toBe(true);
    expect(config.consumer.groupId).toBe(`${prefix}.gamelan-executors`);
    expect((await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)).sort()).toEqual(
      Object.values(topics).sort(),
    );
  });

  it('plays a run with its engine, executor and recorder', async () => {
    const ws = workspace();
    const recorder = await ws.startRecorder();
    const engine = await ws.startEngine();
    await ws.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed({ imported: true }) });
    const { runId } = await engine.startRun('bulk-import', { tenantId: 'kit' });
    await expect(recorder).toHaveCompletedRun(runId, { timeoutMs: 20_000 });
    expect(recorder.messages().every((m) => m.topic.startsWith(`${ws.prefix}.`))).toBe(true);
  });
});

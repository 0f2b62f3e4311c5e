import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { ResultConsumer, TaskProducer } from '../../../harness/clients/index.js';
import { buildTask } from '../../../fixtures/builders/index.js';

// The everyday tools against a harness started with `up --detach`: tail, dlq, lag, reset-offsets.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'gamelan-tools-test-')), 'up.json');
const group = 'tools-test-engine';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, 'node_modules/.bin/tsx'), ['harness/cli/main.ts', ...args, '--state-file', stateFile], {
      cwd: root,
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

let kafka: Kafka;
const tasks = [buildTask({}, { seed: 1 }), buildTask({}, { seed: 2 })];

beforeAll(async () => {
  const up = await cli(['up', '--detach', '--kafka', 'native']);
  expect(up.code, up.stderr).toBe(0);
  const { bootstrapServers } = JSON.parse(readFileSync(stateFile, 'utf8')) as { bootstrapServers: string[] };
  kafka = new Kafka({ brokers: bootstrapServers, logLevel: logLevel.NOTHING });
  const producer = await TaskProducer.connect({ kafka, config: DEFAULT_CONFIG });
  for (const task of tasks) await producer.send(task);
  await producer.stop();
  // A poison result: the engine-side consumer dead-letters it and commits past it.
  const raw = kafka.producer();
  await raw.connect();
  await raw.send({ topic: DEFAULT_CONFIG.results.topic, messages: [{ key: 'run-x', value: 'not json' }] });
  await raw.disconnect();
  let rejected = 0;
  const consumer = await ResultConsumer.start({ kafka, config: DEFAULT_CONFIG, groupId: group, handler: () => {} });
  consumer.on('rejected', () => rejected++);
  const deadline = Date.now() + 20_000;
  while (rejected === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
}, 180_000);

afterAll(async () => {
  await cli(['down']);
});

describe('everyday tools', () => {
  it('tail prints decoded records with key, partition and offset', async () => {
    const result = await cli(['tail', 'tasks', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const records = jsonLines(result.stdout);
    expect(records.map((r) => (r.value as { taskId: string }).taskId).sort()).toEqual(tasks.map((t) => t.taskId).sort());
    for (const r of records) {
      expect(r.key).toBe((r.value as { runId: string }).runId);
      expect(typeof r.partition).toBe('number');
      expect(r.offset).toMatch(/^\d+$/);
    }
  });

  it('tail rejects a topic that is not a Gamelan topic', async () => {
    const result = await cli(['tail', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"nope" is not a Gamelan topic');
  });

  it('dlq shows the dead letter with its origin, reason and payload', async () => {
    const result = await cli(['dlq', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const [letter] = jsonLines(result.stdout);
    expect(letter).toMatchObject({ originalTopic: 'gamelan.task-results', originalKey: 'run-x', reason: 'MESSAGE_DECODE_FAILED', consumerGroup: group, payload: 'not json' });
  });

  it('lag shows committed, end and lag per partition; reset-offsets moves the group back to the earliest', async () => {
    const before = JSON.parse((await cli(['lag', '--group', group, '--json'])).stdout) as { total: number; partitions: { committed: number | null; end: number }[] };
    expect(before.total).toBe(0);
    expect(before.partitions.some((p) => p.committed === 1 && p.end === 1)).toBe(true);
    // A dry run by default: the plan (current → new offset per partition), nothing moved.
    const plan = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-results', '--to-earliest']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/│ tools-test-engine │ gamelan\.task-results │ \d+ +│ 1 +│ 0 +│/);
    expect(plan.stdout).toContain('Dry run: nothing changed. Add --execute to apply.');
    expect((JSON.parse((await cli(['lag', '--group', group, '--json'])).stdout) as { total: number }).total).toBe(0);
    const reset = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-results', '--to-earliest', '--execute', '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    const applied = JSON.parse(reset.stdout) as { executed: boolean; plan: { partition: number; current: number | null; target: number }[] };
    expect(applied.executed).toBe(true);
    expect(applied.plan).toContainEqual({ partition: expect.any(Number), current: 1, target: 0 });
    const after = JSON.parse((await cli(['lag', '--group', group, '--json'])).stdout) as { total: number };
    expect(after.total).toBe(1);
  });

  it('reset-offsets refuses a group that has active members', async () => {
    const consumer = await ResultConsumer.start({ kafka, config: DEFAULT_CONFIG, groupId: group, handler: () => {} });
    try {
      const dryRun = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-results', '--to-latest']);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toMatch(/the group is (Stable|PreparingRebalance|CompletingRebalance): stop its consumers first/);
      const result = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-results', '--to-latest', '--execute']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('OFFSETS_RESET_REFUSED');
      expect(result.stderr).toContain('it has active members');
    } finally {
      await consumer.stop();
    }
  });

  it('reset-offsets refuses an unreadable date-time', async () => {
    const result = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-results', '--to-datetime', 'yesterday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--to-datetime "yesterday" is not allowed');
  });
});

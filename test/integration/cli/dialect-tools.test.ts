import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { readConfig } from '../../../harness/config/index.js';
import { planTopics, provisionTopics } from '../../../harness/topics/index.js';
import { startTestBroker } from '../../support/broker.js';

// `topics` and `lag` take --dialect (the dialect's topic defaults) and --profile (the Quarkus profile of --config),
// read once in connectToCluster, against a real broker holding the upstream topics.
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-dialect-tools-'));
let broker: StartedBroker;

async function cli(args: string[]) {
  const result = await execa(
    path.join(root, 'node_modules/.bin/tsx'),
    ['harness/cli/main.ts', ...args, '--bootstrap-servers', broker.bootstrapServers.join(',')],
    {
      cwd: root,
      reject: false,
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  broker = await startTestBroker();
  const admin = await broker.admin();
  // The topics an upstream engine uses, with the dialect's default names.
  const upstream = readConfig(undefined, { dialect: 'upstream' }).gamelan;
  await provisionTopics(admin, planTopics({ ...upstream, replicationFactor: 1 }, broker.brokerCount).topics);
}, 180_000);
afterAll(() => broker?.stop());

describe('--dialect and --profile on the cluster tools', () => {
  it('topics --dialect upstream describes workflow-tasks, …; the spec names are missing (exit 1)', async () => {
    const upstream = await cli(['topics', '--dialect', 'upstream', '--json']);
    expect(upstream.code, upstream.stderr).toBe(0);
    const described = JSON.parse(upstream.stdout) as { dialect: string; topics: { name: string }[]; missing: string[] };
    expect(described.dialect).toBe('upstream');
    expect(described.topics.map((t) => t.name)).toEqual([
      'workflow-tasks',
      'workflow-results',
      'workflow-events',
      'workflow-status',
      'workflow-dlq',
    ]);
    const spec = await cli(['topics', '--json']);
    expect(spec.code).toBe(1);
    expect((JSON.parse(spec.stdout) as { missing: string[] }).missing).toContain('gamelan.workflow-tasks');
  }, 120_000);

  it('topics --config with %prod. keys applies them only with --profile prod', async () => {
    const file = path.join(dir, 'application.properties');
    writeFileSync(
      file,
      [
        'mp.messaging.incoming.workflow-tasks.topic=nowhere-tasks',
        '%prod.mp.messaging.incoming.workflow-tasks.topic=workflow-tasks',
      ].join('\n'),
    );
    const dev = await cli(['topics', '--dialect', 'upstream', '--config', file, '--json']);
    expect((JSON.parse(dev.stdout) as { missing: string[] }).missing).toEqual(['nowhere-tasks']);
    const prod = await cli(['topics', '--dialect', 'upstream', '--config', file, '--profile', 'prod', '--json']);
    expect(prod.code, prod.stderr).toBe(0);
    expect((JSON.parse(prod.stdout) as { missing: string[] }).missing).toEqual([]);
  }, 120_000);

  it("lag --dialect upstream --topic tasks reads the dialect's tasks topic", async () => {
    const lag = await cli(['lag', '--dialect', 'upstream', '--group', 'nobody-yet', '--topic', 'tasks', '--json']);
    expect(lag.code, lag.stderr).toBe(0);
    const partitions = (JSON.parse(lag.stdout) as { partitions: { topic: string }[] }).partitions;
    expect(new Set(partitions.map((p) => p.topic))).toEqual(new Set(['workflow-tasks']));
  }, 120_000);

  it('--dialect auto is refused where a command writes or describes one dialect (exit 2)', async () => {
    const result = await cli(['topics', '--dialect', 'auto']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/dialect/);
  }, 60_000);
});

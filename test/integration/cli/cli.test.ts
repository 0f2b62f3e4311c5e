import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The CLI as users run it: a child process, exit codes, stdout/stderr.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-cli-test-'));
const stateFile = path.join(dir, 'up.json');

async function cli(args: string[], timeout = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ['harness/cli/main.ts', ...args], {
      cwd: root,
      timeout,
      env: { ...process.env, NO_COLOR: '1', GAMELAN_TEST_KAFKA: undefined },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

afterAll(async () => {
  if (existsSync(stateFile)) await cli(['down', '--state-file', stateFile]);
});

describe('bad input: exit code 2, the file, key, value and what is allowed; nothing started', () => {
  it.each([
    ['partitions=0', 'gamelan.kafka.partitions=0\n', 'gamelan.kafka.partitions = "0" is not allowed: must be ≥ 1'],
    ['unknown key', 'gamelan.kafka.replicaton-factor=1\n', 'did you mean "gamelan.kafka.replication-factor"'],
    ['malformed', 'gamelan.kafka.partitions\n', 'expected "key=value"'],
  ])('%s', async (_name, text, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.properties`);
    writeFileSync(file, text);
    const result = await cli(['up', '--kafka', 'native', '--config', file, '--state-file', stateFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('Starting');
    expect(existsSync(stateFile)).toBe(false);
  });

  it('a replication factor above a multi-broker cluster', async () => {
    const file = path.join(dir, 'rf.yaml');
    writeFileSync(file, 'gamelan:\n  kafka:\n    replication-factor: 4\n');
    const result = await cli([
      'up',
      '--kafka',
      'native',
      '--brokers',
      '3',
      '--config',
      file,
      '--state-file',
      stateFile,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('REPLICATION_FACTOR_TOO_HIGH');
    expect(result.stderr).toContain('gamelan.kafka.replication-factor = 4');
    expect(result.stderr).not.toContain('Starting');
  });

  it.each([
    [['up', '--brokers', '6'], '--brokers = 6 is not allowed: use an integer from 1 to 5'],
    [
      ['up', '--kafka', 'external', '--bootstrap-servers', 'localhost'],
      '--bootstrap-servers = "localhost" is not valid: "localhost" has no port',
    ],
    [
      ['topics', '--bootstrap-servers', 'k:1,,k:2'],
      '--bootstrap-servers = "k:1,,k:2" is not valid: it has an empty entry',
    ],
  ])('%j: the one broker-count / bootstrap parser', async (args, message) => {
    const result = await cli([...args, '--state-file', stateFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONFIG_INVALID_VALUE');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('Starting');
  });

  it('an unknown option value', async () => {
    const result = await cli(['up', '--kafka', 'podman']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid values:[\s\S]*podman/);
  });
});

describe('up --detach, topics, down', () => {
  it('boots, describes the five topics with the spec settings, and stops leaving nothing behind', async () => {
    const up = await cli([
      'up',
      '--detach',
      '--kafka',
      'native',
      '--config',
      'fixtures/config/application.properties',
      '--state-file',
      stateFile,
    ]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/bootstrap servers: 127\.0\.0\.1:\d+/);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      pid: number;
      bootstrapServers: string[];
      token?: string;
    };
    // The detached `up` records the token it was started with; `down` reads it back from that process's environment.
    expect(state.token).toMatch(/^[0-9a-f]{48}$/);

    const topics = await cli(['topics', '--json', '--state-file', stateFile]);
    expect(topics.code, topics.stderr).toBe(0);
    const described = JSON.parse(topics.stdout) as {
      topics: { name: string; partitions: unknown[]; retentionMs: number }[];
      missing: string[];
    };
    expect(described.missing).toEqual([]);
    expect(described.topics.map((t) => [t.name, t.partitions.length, t.retentionMs])).toEqual([
      ['gamelan.workflow-tasks', 3, 2_592_000_000],
      ['gamelan.task-results', 3, 2_592_000_000],
      ['gamelan.workflow-events', 3, 2_592_000_000],
      ['gamelan.status-updates', 3, 2_592_000_000],
      ['gamelan.dead-letter-queue', 3, 2_592_000_000],
    ]);

    const down = await cli(['down', '--state-file', stateFile]);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain(`Stopped the harness (pid ${state.pid})`);
    expect(existsSync(stateFile)).toBe(false);
    expect(() => process.kill(state.pid, 0)).toThrow();
  }, 180_000);
});

describe('two up --detach at once in one folder', () => {
  // Issue #22: both saw no harness and booted a broker; one answered, the other waited 180 s and failed.
  it('the second refuses at once naming the first; the first comes up and stops', async () => {
    const shared = path.join(dir, 'concurrent', 'up.json');
    const first = cli(['up', '--detach', '--kafka', 'native', '--state-file', shared]);
    // The first takes the lock before it boots anything: wait for the lock, then start the second.
    const lockFile = path.join(dir, 'concurrent', 'up.lock');
    for (let i = 0; i < 200 && !existsSync(lockFile); i++) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    const second = await cli(['up', '--detach', '--kafka', 'native', '--state-file', shared]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toContain('is starting or running with the state file');
    expect(second.stderr).toContain('nothing was started');
    const up = await first;
    expect(up.code, up.stderr).toBe(0);
    const state = JSON.parse(readFileSync(shared, 'utf8')) as { pid: number };
    // The detached child took the lock over from the `up --detach` that started it.
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(state.pid);
    const down = await cli(['down', '--state-file', shared]);
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(lockFile), 'the lock goes with the harness').toBe(false);
  }, 180_000);
});

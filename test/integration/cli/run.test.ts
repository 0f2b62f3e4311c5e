import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `gamelan-harness run` and `list` as users run them: a child process, exit codes, stdout/stderr and the
// report files. One harness from `up --detach` serves every `run` of the file (through --state-file).
const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const harnessEntry = path.join(root, 'harness/index.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-run-test-'));
const stateFile = path.join(dir, 'up.json');
// A user's ESM project ("type": "module") holds their scenario files; dir itself is in no package (CommonJS).
const project = path.join(dir, 'project');
mkdirSync(project);
writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[], timeout = 120_000): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(tsx, ['harness/cli/main.ts', ...args], {
      cwd: root,
      timeout,
      env: {
        ...process.env,
        NO_COLOR: '1',
        FORCE_COLOR: undefined,
        GAMELAN_TEST_KAFKA: undefined,
        GAMELAN_KAFKA_PROVIDER: undefined,
        GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
        KAFKA_BOOTSTRAP_SERVERS: undefined,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `run` against the harness from `up` (the state file), with these arguments. */
const run = (...args: string[]) => cli(['run', '--state-file', stateFile, ...args]);

/** A user's scenario file (in their ESM project unless another dir is given); `source` may import from the harness as `HARNESS`. */
function scenarioFile(name: string, source: string, where = project): string {
  const file = path.join(where, `${name}.ts`);
  writeFileSync(file, source.replaceAll('HARNESS', JSON.stringify(harnessEntry)));
  return file;
}

const out = (name: string) => path.join(dir, name);

beforeAll(async () => {
  const up = await cli(['up', '--detach', '--kafka', 'native', '--state-file', stateFile]);
  expect(up.code, up.stderr).toBe(0);
  expect(existsSync(stateFile)).toBe(true);
}, 180_000);

afterAll(async () => {
  if (existsSync(stateFile)) {
    const down = await cli(['down', '--state-file', stateFile]);
    expect(down.code, down.stderr).toBe(0);
  }
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('load beside `up`', () => {
  // Issue #21: load started a broker of its own although `up --detach` ran in the folder, as `run` never did.
  it('load uses the harness from `up`, and says so on its first line', async () => {
    const result = await cli(['load', '--state-file', stateFile, '--tasks', '10', '--executors', '1', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toMatch(/^Using the harness from `up` \(pid \d+\) at 127\.0\.0\.1:\d+/);
  });
});

describe('run', () => {
  it('a bundled scenario passes on the harness from `up`, with JSON, JUnit and the recorded flow', async () => {
    const result = await run(
      'retries-to-dlq',
      '--json',
      out('a.json'),
      '--junit',
      out('a.xml'),
      '--record',
      out('flows'),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Using the harness from `up`');
    expect(result.stdout).toMatch(/retries-to-dlq\s*│\s*PASS/);
    expect(result.stdout).toContain('1 passed, 0 failed');

    const summary = JSON.parse(readFileSync(out('a.json'), 'utf8')) as {
      passed: number;
      failed: number;
      kafka: string;
      scenarios: { name: string; status: string; steps: { name: string; status: string }[] }[];
    };
    expect(summary).toMatchObject({ passed: 1, failed: 0, kafka: 'external' });
    const [scenario] = summary.scenarios;
    expect(scenario).toMatchObject({ name: 'retries-to-dlq', status: 'passed' });
    expect(scenario!.steps.length).toBeGreaterThanOrEqual(5);
    expect(scenario!.steps.every((s) => s.status === 'passed')).toBe(true);

    const xml = readFileSync(out('a.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(scenario!.steps.length);
    expect(xml).toContain('classname="gamelan-harness.retries-to-dlq"');
    expect(xml).not.toContain('<failure');

    const lines = readFileSync(path.join(out('flows'), 'retries-to-dlq.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.length).toBeGreaterThan(10);
    const roles = new Set(lines.map((line) => (JSON.parse(line) as { role: string }).role));
    expect([...roles].sort()).toEqual(['dlq', 'events', 'results', 'status', 'tasks']);
  });

  // Issue #22: `run` left its s-* topics and groups on the `up` broker, a cluster it did not start, on every run.
  it('on the `up` broker it removes the topics and groups it made and says so; --keep keeps them', async () => {
    const { Kafka, logLevel } = await import('../../../harness/clients/kafkajs.js');
    const { bootstrapServers } = JSON.parse(readFileSync(stateFile, 'utf8')) as { bootstrapServers: string[] };
    const admin = new Kafka({ brokers: bootstrapServers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const made = async () => ({
      topics: (await admin.listTopics()).filter((t) => t.startsWith('s-retries-to-dlq-')),
      groups: (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith('s-retries-to-dlq-')),
    });
    try {
      const before = await made();
      const removed = await run('retries-to-dlq');
      expect(removed.code, removed.stderr + removed.stdout).toBe(0);
      expect(removed.stderr).toMatch(
        /Removed what this run created on .*, a cluster it did not start: 5 topics and [1-9]\d* consumer groups? \(s-retries-to-dlq-[0-9a-f]+\.\*\); --keep keeps them\./,
      );
      expect(await made()).toEqual(before);
      const kept = await run('retries-to-dlq', '--keep');
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stderr).toContain('Kept the topics and consumer groups this run created on');
      const after = await made();
      expect(after.topics.length - before.topics.length).toBe(5);
      expect(after.groups.length).toBeGreaterThan(before.groups.length);
    } finally {
      await admin.disconnect();
    }
  });

  // Issue #21: a step waiting for completion of a run whose handler threw on every attempt waited its whole 30 s
  // and named events only. It fails once the run failed, with the handler's error.
  it('a step checking runCompleted on a run whose handler always throws fails at once with the error text', async () => {
    const file = scenarioFile(
      'user-handler-throws',
      `import { defineScenario, runCompleted } from HARNESS;
export default defineScenario({
  name: 'user-handler-throws',
  description: 'A handler that throws on every attempt; the completion check must not wait its 30 s.',
  timeoutMs: 60_000,
  config: { dlq: { maxRetries: 1, backoffMs: 100 } },
  async run(ctx) {
    const engine = await ctx.step('start', async () => {
      await ctx.startExecutor({ executorType: 'import-executor', handler: () => { throw new TypeError('then is not a function'); } });
      return ctx.startEngine();
    });
    const { runId } = await ctx.step('start a run', () => engine.startRun('bulk-import', { tenantId: 'acme' }));
    const started = Date.now();
    await ctx.step('the run completes', async () => {
      try {
        await ctx.check(runCompleted(ctx.recorder, runId, { timeoutMs: 30_000 }));
      } finally {
        ctx.log(\`check took \${Date.now() - started} ms\`);
      }
    });
  },
});
`,
    );
    const result = await run(file);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /✗ user-handler-throws: expected run \S+ to be COMPLETED, but it ended FAILED; last failure: node import, attempt 2: .*then is not a function; dead-lettered to/,
    );
    const took = Number(/check took (\d+) ms/.exec(result.stderr)?.[1]);
    expect(took).toBeLessThan(10_000);
  });

  it('a user scenario whose assertion fails: exit 1, FAIL in the table, the message in the JUnit failure', async () => {
    const file = scenarioFile(
      'user-fails',
      `import { defineScenario, runCompleted } from HARNESS;
export default defineScenario({
  name: 'user-fails',
  description: 'Expects a run nobody started to complete.',
  timeoutMs: 30_000,
  async run(ctx) {
    await ctx.step('the flow is empty', async () => undefined);
    await ctx.step('a run nobody started completed', () => ctx.check(runCompleted(ctx.recorder, 'run-nobody-started', { timeoutMs: 200 })));
  },
});
`,
    );
    const result = await run(file, '--junit', out('b.xml'), '--json', out('b.json'));
    const message =
      'expected run run-nobody-started to be COMPLETED (event RUN_COMPLETED and status COMPLETED); the flow holds events [], status updates []';
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/user-fails\s*│\s*FAIL\s*│[^│]*│\s*1\/2/);
    expect(result.stdout).toContain(`✗ user-fails: ${message}`);
    expect(result.stdout).toContain('0 passed, 1 failed');

    const xml = readFileSync(out('b.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml.match(/<failure/g)).toHaveLength(1);
    expect(xml).toMatch(
      new RegExp(
        `<testcase classname="gamelan-harness.user-fails" name="a run nobody started completed"[^>]*>\\s*<failure message="${message.replace(/[()[\]]/g, '\\$&')}"`,
      ),
    );
    expect(JSON.parse(readFileSync(out('b.json'), 'utf8'))).toMatchObject({
      passed: 0,
      failed: 1,
      scenarios: [{ name: 'user-fails', status: 'failed', error: message }],
    });
  });

  it('a file whose default export is not a scenario: exit 2, naming the file and the field; nothing runs', async () => {
    const file = scenarioFile(
      'not-a-scenario',
      `export default { name: 'no-run', description: 'A scenario without its run function.' };\n`,
    );
    const result = await run(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error [CONFIG_INVALID_VALUE]: ${file}: scenario run = undefined is not allowed`);
    expect(result.stderr).toContain('default-exports defineScenario({ name, description, run })');
    expect(result.stderr).not.toContain('Using the harness');
    expect(result.stdout).toBe('');
  });

  it('an unknown scenario name: exit 2, listing the bundled scenarios', async () => {
    const result = await run('no-such-scenario');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'scenario "no-such-scenario" is neither a bundled scenario nor a file or directory. Bundled: ',
    );
    expect(result.stderr).toMatch(/Bundled: .*chaos-leader-failover.*lag.*retries-to-dlq/);
    expect(result.stdout).toBe('');
  });
});

describe('list', () => {
  // Regression: tsx compiles a .ts file outside an ESM package to CommonJS, so its default export arrived
  // wrapped ({ default: … }) and a valid scenario was rejected with "scenario name = undefined".
  it('reads a scenario file from a CommonJS package (no "type": "module") too', async () => {
    const file = scenarioFile(
      'in-commonjs',
      `export default { name: 'in-commonjs', description: 'A scenario in a CommonJS package.', async run() {} };\n`,
      dir,
    );
    const result = await cli(['list', '--json', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { name: 'in-commonjs', description: 'A scenario in a CommonJS package.', file, tags: [], needs: {} },
    ]);
  });

  it('--json lists every bundled scenario with its file and tags (slow and chaos ones too)', async () => {
    const result = await cli(['list', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as { name: string; description: string; file: string; tags: string[] }[];
    const untagged = listed.filter((s) => s.tags.length === 0).map((s) => s.name);
    expect(untagged).toEqual(expect.arrayContaining(['lag', 'rebalance', 'replay', 'retries-to-dlq']));
    expect(listed.filter((s) => s.tags.includes('chaos')).map((s) => s.name)).toEqual(
      expect.arrayContaining(['chaos-leader-failover', 'chaos-poison-storm']),
    );
    expect(
      (JSON.parse((await cli(['list', '--json', '--tag', 'chaos'])).stdout) as { name: string }[]).every((s) =>
        s.name.startsWith('chaos-'),
      ),
    ).toBe(true);
    for (const s of listed) {
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.file).toBe(path.join(root, 'scenarios', `${s.name}.ts`));
    }
  }, 240_000); // imports every bundled scenario file (tsx), twice
});

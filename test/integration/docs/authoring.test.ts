import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { importScenarios } from '../../../harness/scenario/import-scenarios.js';
import { runScenarios } from '../../../harness/scenario/runner.js';
import { startTestBroker } from '../../support/broker.js';

// docs/scenarios.md as a new user follows it, on one real broker: `new scenario` writes a starter that `run`
// plays green (the CLI as a child process), and the three worked examples pass.
const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-authoring-'));
// A user's ES module project, and a directory in no package (CommonJS as far as Node knows).
const esmProject = path.join(dir, 'esm-project');
const plainDir = path.join(dir, 'plain');
let broker: StartedBroker;

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(tsx, ['harness/cli/main.ts', ...args], {
      cwd: root,
      timeout: 120_000,
      env: {
        ...process.env,
        NO_COLOR: '1',
        FORCE_COLOR: undefined,
        GAMELAN_KAFKA_BOOTSTRAP_SERVERS: broker.bootstrapServers.join(','),
        KAFKA_BOOTSTRAP_SERVERS: undefined,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  mkdirSync(esmProject);
  writeFileSync(path.join(esmProject, 'package.json'), '{ "type": "module" }\n');
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('gamelan-harness new scenario', () => {
  it('writes a typed starter that `run <dir>` plays green', async () => {
    const scenarios = path.join(esmProject, 'scenarios');
    const created = await cli(['new', 'scenario', 'my-first', '--dir', scenarios]);
    expect(created.code, created.stderr).toBe(0);
    const file = path.join(scenarios, 'my-first.ts');
    expect(created.stdout).toContain('my-first.ts');
    expect(readFileSync(file, 'utf8')).toMatch(/^import \{[^}]+\} from 'gamelan-kafka-harness';$/m);

    const played = await cli(['run', scenarios]);
    expect(played.code, played.stdout + played.stderr).toBe(0);
    expect(played.stdout).toMatch(/my-first\s*│\s*PASS/);
    expect(played.stdout).toContain('1 passed, 0 failed');
  }, 180_000);

  it('writes .mts outside an ES module package, and that plays green too', async () => {
    const created = await cli(['new', 'scenario', 'plain-one', '--dir', plainDir]);
    expect(created.code, created.stderr).toBe(0);
    expect(existsSync(path.join(plainDir, 'plain-one.mts'))).toBe(true);
    const played = await cli(['run', path.join(plainDir, 'plain-one.mts')]);
    expect(played.code, played.stdout + played.stderr).toBe(0);
    expect(played.stdout).toMatch(/plain-one\s*│\s*PASS/);
  }, 180_000);

  it('never overwrites: exit 2 naming the file, which stays as it was', async () => {
    const scenarios = path.join(esmProject, 'keep');
    mkdirSync(scenarios);
    writeFileSync(path.join(scenarios, 'mine.ts'), '// my own work\n');
    const again = await cli(['new', 'scenario', 'mine', '--dir', scenarios]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${path.join(scenarios, 'mine.ts')} already exists`);
    expect(readFileSync(path.join(scenarios, 'mine.ts'), 'utf8')).toBe('// my own work\n');
  });

  it.each([['My_Scenario'], ['dots.in.name'], ['with space']])(
    'refuses the name %j: exit 2 naming the allowed characters',
    async (name) => {
      const result = await cli(['new', 'scenario', name, '--dir', path.join(dir, 'refused')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `scenario name ${JSON.stringify(name)} is not allowed: use lower-case letters a-z, digits 0-9 and "-"`,
      );
      expect(existsSync(path.join(dir, 'refused'))).toBe(false);
    },
  );
});

describe('the worked examples of docs/scenarios.md (examples/scenarios/)', async () => {
  const examples = await importScenarios([path.join(root, 'examples/scenarios')]);

  it('are the three the doc shows', () => {
    expect(examples.map((s) => s.definition.name).sort()).toEqual([
      'example-executor-crash',
      'example-retry-to-dlq',
      'example-run-completes',
    ]);
  });

  it.each(examples.map((s) => [s.definition.name, s] as const))(
    '%s passes on a real broker',
    async (_name, scenario) => {
      const summary = await runScenarios([scenario], { broker, config: DEFAULT_CONFIG });
      const [result] = summary.scenarios;
      expect(result?.error ?? '', `steps: ${JSON.stringify(result?.steps)}`).toBe('');
      expect(result?.status).toBe('passed');
    },
    120_000,
  );
});

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
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GAMELAN_TEST_KAFKA: undefined, GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined, KAFKA_BOOTSTRAP_SERVERS: undefined },
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

describe('list', () => {
  // Regression: tsx compiles a .ts file outside an ESM package to CommonJS, so its default export arrived
  // wrapped ({ default: … }) and a valid scenario was rejected with "scenario name = undefined".
  it('reads a scenario file from a CommonJS package (no "type": "module") too', async () => {
    const file = scenarioFile('in-commonjs', `export default { name: 'in-commonjs', description: 'A scenario in a CommonJS package.', async run() {} };\n`, dir);
    const result = await cli(['list', '--json', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ name: 'in-commonjs', description: 'A scenario in a CommonJS package.', file }]);
  });

  it('--json lists the four bundled scenarios with their files', async () => {
    const result = await cli(['list', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as { name: string; description: string; file: string }[];
    expect(listed.map((s) => s.name)).toEqual(['lag', 'rebalance', 'replay', 'retries-to-dlq']);
    for (const s of listed) {
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.file).toBe(path.join(root, 'scenarios', `${s.name}.ts`));
    }
  });
});

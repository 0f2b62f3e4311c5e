import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The CI recipes of docs/executor-contract.md: the GitHub Actions job runs the same commands as the shell script
// (which test/package/packed.test.ts runs against a packed tarball), both refuse an unpinned harness, and no recipe
// or page fetches the harness by name from the npm registry (it is not published there: a stranger's package would run).
const root = path.resolve(import.meta.dirname, '../../..');
const SCRIPT = 'examples/ci/contract-ci.sh';
const WORKFLOW = 'examples/ci/contract-github-actions.yml';
/** The workflow's own step, not part of the recipe: building the user's executor. */
const USER_STEP = 'Build your executor';

const script = readFileSync(path.join(root, SCRIPT), 'utf8');
const workflow = parse(readFileSync(path.join(root, WORKFLOW), 'utf8')) as {
  jobs: Record<string, { env?: Record<string, string>; steps: { name?: string; run?: string; uses?: string }[] }>;
};
const job = Object.values(workflow.jobs)[0]!;
const commands = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
/** The script's commands after its `set -euo pipefail` (what a GitHub Actions step runs in bash). */
const scriptCommands = () => {
  const lines = commands(script);
  return lines.slice(lines.indexOf('set -euo pipefail') + 1);
};

const work = mkdtempSync(path.join(tmpdir(), 'gamelan-ci-recipes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const runScript = (env: Record<string, string>, cwd = work) =>
  spawnSync('bash', [path.join(root, SCRIPT)], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_offline: 'true', ...env },
  });

/**
 * A stand-in for the harness's repository, one commit: a package of the harness's name without dependencies whose
 * `gamelan-harness` bin writes the arguments it got. It lets the pinned-commit path run offline in seconds (clone,
 * checkout, npm ci, npm pack, install, run); the real package goes through the tarball path in test/package.
 */
function standInRepository(dir: string): string {
  mkdirSync(dir);
  const manifest = { name: 'gamelan-kafka-harness', version: '0.0.0-stand-in', bin: { 'gamelan-harness': 'bin.js' } };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    path.join(dir, 'package-lock.json'),
    JSON.stringify(
      {
        name: manifest.name,
        version: manifest.version,
        lockfileVersion: 3,
        requires: true,
        packages: { '': manifest },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    path.join(dir, 'bin.js'),
    "#!/usr/bin/env node\nrequire('node:fs').writeFileSync('bin-args.json', JSON.stringify(process.argv.slice(2)));\n",
    { mode: 0o755 },
  );
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'stand-in');
  return git('rev-parse', 'HEAD');
}

describe('the CI recipes', () => {
  it("the GitHub Actions job runs the shell script's commands, in order, and nothing else but the executor build", () => {
    const runSteps = job.steps.filter((s) => s.run !== undefined);
    expect(runSteps.map((s) => s.name)).toContain(USER_STEP);
    expect(scriptCommands().length).toBeGreaterThan(5);
    expect(runSteps.filter((s) => s.name !== USER_STEP).flatMap((s) => commands(s.run!))).toEqual(scriptCommands());
  });

  it('the GitHub Actions job sets every variable the script requires, and a JDK 17+ and a supported Node', () => {
    const required = [...new Set([...script.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!))];
    expect(required).toEqual(expect.arrayContaining(['EXECUTOR_CMD', 'EXECUTOR_TYPE', 'GAMELAN_HARNESS_TARBALL']));
    // GAMELAN_HARNESS_REPO is required only on the pinned-commit path; the job pins a tarball by its sha256.
    for (const name of [...required.filter((n) => n !== 'GAMELAN_HARNESS_REPO'), 'GAMELAN_HARNESS_SHA256'])
      expect(job.env?.[name], name).toBeTruthy();
    const withOf = (action: string) =>
      (job.steps.find((s) => s.uses?.startsWith(`${action}@`)) as { with?: Record<string, string> } | undefined)?.with;
    expect(Number(withOf('actions/setup-java')?.['java-version'])).toBeGreaterThanOrEqual(17);
    const engines = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect([...engines.matchAll(/\^(\d+)\./g)].map((m) => m[1])).toContain(
      String(withOf('actions/setup-node')?.['node-version']),
    );
  });

  it('docs/executor-contract.md links both recipes', () => {
    const page = readFileSync(path.join(root, 'docs/executor-contract.md'), 'utf8');
    expect(page).toContain(`(../${SCRIPT})`);
    expect(page).toContain(`(../${WORKFLOW})`);
  });

  it('the script refuses a tarball whose sha256 is not the pin, before installing anything', () => {
    const project = path.join(work, 'unpinned');
    mkdirSync(project);
    writeFileSync(path.join(project, 'gamelan-kafka-harness-0.1.0.tgz'), 'not the pinned tarball');
    const result = runScript(
      {
        GAMELAN_HARNESS_TARBALL: 'gamelan-kafka-harness-0.1.0.tgz',
        GAMELAN_HARNESS_SHA256: '0'.repeat(64),
        EXECUTOR_CMD: 'true',
        EXECUTOR_TYPE: 't',
      },
      project,
    );
    expect(result.status, result.stdout + result.stderr).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/FAILED|did NOT match/);
    expect(readdirSync(project)).toEqual(['gamelan-kafka-harness-0.1.0.tgz']);
  });

  it('the pinned-commit path clones that commit, packs it, installs the tarball without changing package.json, and runs the contract', () => {
    const commit = standInRepository(path.join(work, 'harness-repo'));
    const project = path.join(work, 'project');
    mkdirSync(project);
    const manifest = JSON.stringify({ name: 'my-executor', version: '1.0.0', private: true });
    writeFileSync(path.join(project, 'package.json'), manifest);
    const result = runScript(
      {
        GAMELAN_HARNESS_REPO: path.join(work, 'harness-repo'),
        GAMELAN_HARNESS_COMMIT: commit,
        EXECUTOR_CMD: 'java -jar x.jar',
        EXECUTOR_TYPE: 'payment-processor',
      },
      project,
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(
      JSON.parse(readFileSync(path.join(project, 'node_modules/gamelan-kafka-harness/package.json'), 'utf8')).version,
    ).toBe('0.0.0-stand-in');
    expect(readFileSync(path.join(project, 'package.json'), 'utf8')).toBe(manifest);
    expect(JSON.parse(readFileSync(path.join(project, 'bin-args.json'), 'utf8'))).toEqual([
      'contract',
      '--executor-cmd',
      'java -jar x.jar',
      '--type',
      'payment-processor',
      '--junit',
      'reports/contract.xml',
    ]);
  }, 120_000);

  it.each([
    ['no sha256', { GAMELAN_HARNESS_TARBALL: 'x.tgz' }, /GAMELAN_HARNESS_SHA256=: allowed: the 64-hex sha256/],
    [
      'a branch for a commit',
      { GAMELAN_HARNESS_COMMIT: 'main', GAMELAN_HARNESS_REPO: 'https://example.invalid/h.git' },
      /GAMELAN_HARNESS_COMMIT=main: allowed: a full 40-hex commit id/,
    ],
  ])(
    'the script refuses an unpinned harness (%s), naming the variable, the value and what is allowed',
    (_label, env, message) => {
      const result = runScript(env);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
    },
  );

  it('no recipe or page installs or runs the harness by its registry name', () => {
    const files = [
      SCRIPT,
      WORKFLOW,
      'README.md',
      ...readdirSync(path.join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const byName =
      /npx (--yes |-y )?(-p|--package)[ =]gamelan-kafka-harness|npm (i|install|add)( -[-\w]+)* gamelan-kafka-harness(@|\s|$)/;
    for (const file of files)
      expect(readFileSync(path.join(root, file), 'utf8').match(byName)?.[0], file).toBeUndefined();
  });
});

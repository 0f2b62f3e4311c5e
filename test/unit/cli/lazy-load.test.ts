import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The CLI loads only what a command uses: `--help` and bad input must not pay for Kafka clients,
// containers, HTTP mocks or fake data. Checked structurally (which modules the process resolved,
// recorded by a module hook), not by timing; `npm run bench:cli` prints the times.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-lazy-test-'));
const HEAVY = ['testcontainers', 'msw', '@faker-js/faker', 'kafkajs', 'docker-compose', 'execa', 'ora'];

/** The packages and harness files the CLI resolved for these arguments, and its exit code. */
async function loaded(args: readonly string[]): Promise<{ code: number; packages: Set<string>; files: Set<string> }> {
  const trace = path.join(dir, `${Math.random().toString(36).slice(2)}.txt`);
  let code = 0;
  try {
    await run(process.execPath, ['--import', 'tsx', '--import', './test/support/module-trace.mjs', 'harness/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', GAMELAN_MODULE_TRACE: trace, GAMELAN_KAFKA_PROVIDER: undefined },
    });
  } catch (error) {
    code = (error as { code?: number }).code ?? -1;
  }
  const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  rmSync(trace);
  const packages = new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  const files = new Set(urls.filter((u) => u.startsWith('file://') && !u.includes('node_modules')).map((u) => path.relative(root, new URL(u).pathname.split('?')[0]!)));
  return { code, packages, files };
}

describe('commands load only what they use', () => {
  it('--help loads yargs and the command registry, no command module and no heavy package', async () => {
    const { code, packages, files } = await loaded(['--help']);
    expect(code).toBe(0);
    expect(packages.has('yargs')).toBe(true); // the trace works
    for (const heavy of HEAVY) expect(packages, heavy).not.toContain(heavy);
    const commandModules = [...files].filter((f) => f.startsWith('harness/cli/commands/') && f !== 'harness/cli/commands/index.ts');
    expect(commandModules).toEqual([]);
  });

  it.each([
    [['up', '--brokers', '0']],
    [['up', '--kafka', 'podman']],
    [['run', '--json']],
    [['contract', '--type', 'x']],
    [['tail', 'tasks', '--max', '0']],
    [['dlq', '--max', 'lots']],
  ])('bad input %j exits 2 having loaded only its own command module and no heavy package', async (args) => {
    const { code, packages, files } = await loaded(args);
    expect(code).toBe(2);
    for (const heavy of HEAVY) expect(packages, heavy).not.toContain(heavy);
    const commandModules = [...files].filter((f) => f.startsWith('harness/cli/commands/') && f !== 'harness/cli/commands/index.ts');
    expect(commandModules).toEqual([`harness/cli/commands/${args[0]}.ts`]);
  });
});

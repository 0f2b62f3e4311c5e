import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../harness/cli/commands/index.js';

// The CLI loads only what a command uses: `--help` and bad input must not pay for Kafka clients,
// containers, HTTP mocks or fake data. Checked structurally (which modules the process resolved,
// recorded by a module hook), not by timing; `npm run bench:cli` prints the times.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-lazy-test-'));
const HEAVY = ['testcontainers', 'msw', '@faker-js/faker', 'kafkajs', 'docker-compose', 'execa', 'ora', 'zod'];
// Every command of the registry, by its name (`run [scenarios..]` → run).
const COMMAND_NAMES = COMMANDS.map((c) => c.command.split(' ')[0]!);

/** The packages and harness files the CLI resolved for these arguments, and its exit code. */
async function loaded(
  args: readonly string[],
  entry: readonly string[] = ['harness/cli/main.ts'],
): Promise<{ code: number; packages: Set<string>; files: Set<string> }> {
  const trace = path.join(dir, `${Math.random().toString(36).slice(2)}.txt`);
  let code = 0;
  try {
    await run(process.execPath, ['--import', 'tsx', '--import', './test/support/module-trace.mjs', ...entry, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', GAMELAN_MODULE_TRACE: trace, GAMELAN_KAFKA_PROVIDER: undefined },
    });
  } catch (error) {
    code = (error as { code?: number }).code ?? -1;
  }
  const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  rmSync(trace);
  const packages = new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  const files = new Set(
    urls
      .filter((u) => u.startsWith('file://') && !u.includes('node_modules'))
      .map((u) => path.relative(root, new URL(u).pathname.split('?')[0]!)),
  );
  return { code, packages, files };
}

describe('commands load only what they use', () => {
  it('--help loads yargs and the command registry, no command module and no heavy package', async () => {
    const { code, packages, files } = await loaded(['--help']);
    expect(code).toBe(0);
    expect(packages.has('yargs')).toBe(true); // the trace works
    for (const heavy of HEAVY) expect(packages, heavy).not.toContain(heavy);
    const commandModules = [...files].filter(
      (f) => f.startsWith('harness/cli/commands/') && f !== 'harness/cli/commands/index.ts',
    );
    expect(commandModules).toEqual([]);
  });

  it.each(COMMAND_NAMES)(
    '%s --help loads its own command module and no heavy package (no zod either)',
    async (name) => {
      const { code, packages, files } = await loaded([name, '--help']);
      expect(code).toBe(0);
      for (const heavy of HEAVY) expect(packages, heavy).not.toContain(heavy);
      const commandModules = [...files].filter(
        (f) => f.startsWith('harness/cli/commands/') && f !== 'harness/cli/commands/index.ts',
      );
      expect(commandModules).toEqual([`harness/cli/commands/${name}.ts`]);
    },
  );

  it.each([
    [['up', '--brokers', '0']],
    [['up', '--kafka', 'podman']],
    [['run', '--json']],
    [['contract', '--type', 'x']],
    [['tail', 'tasks', '--max', '0']],
    [['dlq', '--max', 'lots']],
    [['topics', '--bootstrap-servers', 'x']],
    [['load', '--rate', 'x']],
    [['conformance', '--dialect', 'x']],
    [['fault', 'nope']],
    [['produce', 'nope']],
    // A scenario name is checked against the bundled files' names: no scenario and no schema (zod) loads.
    [['list', 'no-such-scenario']],
    [['run', 'no-such-scenario']],
  ])('bad input %j exits 2 having loaded only its own command module and no heavy package', async (args) => {
    const { code, packages, files } = await loaded(args);
    expect(code).toBe(2);
    for (const heavy of HEAVY) expect(packages, heavy).not.toContain(heavy);
    const commandModules = [...files].filter(
      (f) => f.startsWith('harness/cli/commands/') && f !== 'harness/cli/commands/index.ts',
    );
    expect(commandModules).toEqual([`harness/cli/commands/${args[0]}.ts`]);
  });

  // execa (~130 files) loads only when a process other than a broker is run (Maven, javac, openssl, keytool);
  // the JDK's version is read from its release file, so a native start with cached jars never loads it.
  it('the stack `up` and `run` start with loads neither testcontainers nor docker-compose (only --kafka container/compose do), nor execa', async () => {
    const { code, packages, files } = await loaded(
      [],
      ['--input-type=module', '-e', "await import('./harness/stack/start-stack.ts')"],
    );
    expect(code).toBe(0);
    expect(files).toContain('harness/brokers/native/provider.ts'); // the trace works
    for (const heavy of ['testcontainers', 'docker-compose', 'msw', '@faker-js/faker', 'execa'])
      expect(packages, heavy).not.toContain(heavy);
    expect(
      [...files].filter((f) => f.startsWith('harness/brokers/container/') || f === 'harness/brokers/compose.ts'),
    ).toEqual([]);
  });
});

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityOf } from '../../../harness/cli/process-identity.js';

// The "Bad input" table of docs/cli.md is a promise: each row's command, run as users run it, exits with the
// row's code and prints the row's message, before anything starts (or, for a silent cluster, in 5 s).
// No broker needed: every row is refused before one would start.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

interface Row {
  readonly input: string;
  readonly env: Record<string, string>;
  readonly args: string[];
  readonly exit: number;
  readonly message: string;
}

function tableRows(): Row[] {
  const page = readFileSync(path.join(root, 'docs/cli.md'), 'utf8');
  const table = /<!-- bad-input-table:start -->\n([\s\S]*?)<!-- bad-input-table:end -->/.exec(page)?.[1];
  if (!table) throw new Error('docs/cli.md has no bad-input table between <!-- bad-input-table:start/end --> markers');
  return table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| input') && !line.startsWith('|---'))
    .map((line) => {
      const cells = line
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((c) => c.replaceAll('\\|', '|').trim());
      const [input, command, exit, message] = cells as [string, string, string, string];
      const words = command.replace(/^`|`$/g, '').split(/\s+/);
      const env: Record<string, string> = {};
      while (words[0] && /^[A-Z_]+=/.test(words[0])) {
        const [name, ...value] = words.shift()!.split('=');
        env[name!] = value.join('=');
      }
      if (words.shift() !== 'gamelan-harness')
        throw new Error(`docs/cli.md bad-input row "${input}": the command must start with gamelan-harness`);
      return { input, env, args: words, exit: Number(exit), message: message.replace(/^`|`$/g, '') };
    });
}

const rows = tableRows();
let portHolder: Server;
let portInUse = 0;
// FORGED_STATE: a state file copying the pid, start time and command line of a `sleep` the test holds; `down` must
// refuse it and the sleep must outlive every row.
let sleeper: ChildProcess;
let forgedState = '';
// LOCKED_STATE: a state file whose `up` lock this test process holds, as a first `up` still starting would.
let lockedState = '';

beforeAll(async () => {
  portHolder = createServer();
  await new Promise<void>((resolve) => portHolder.listen(0, '127.0.0.1', resolve));
  portInUse = (portHolder.address() as { port: number }).port;
  sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && identityOf(sleeper.pid!)?.commandLine !== 'sleep 600'; i++)
    await new Promise((r) => setTimeout(r, 20));
  forgedState = path.join(mkdtempSync(path.join(tmpdir(), 'gamelan-bad-input-')), 'up.json');
  const bootstrapServers = ['127.0.0.1:9092'];
  lockedState = path.join(path.dirname(forgedState), 'locked.json');
  writeFileSync(
    path.join(path.dirname(forgedState), 'locked.lock'),
    JSON.stringify({ pid: process.pid, process: identityOf(process.pid) }),
  );
  writeFileSync(
    forgedState,
    JSON.stringify({
      pid: sleeper.pid,
      kind: 'native',
      bootstrapServers,
      brokerCount: 1,
      logFiles: [],
      topics: {},
      configSource: null,
      startedAt: new Date().toISOString(),
      process: identityOf(sleeper.pid!),
    }),
  );
});

afterAll(() => {
  portHolder.close();
  // Every row ran by now: the process the forged state file names was never signalled.
  expect(sleeper.exitCode).toBeNull();
  expect(sleeper.signalCode).toBeNull();
  sleeper.kill('SIGKILL');
});

describe('docs/cli.md "Bad input" table', () => {
  it('lists the inputs', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows.every((r) => r.exit === 1 || r.exit === 2)).toBe(true);
  });

  it.concurrent.each(rows.map((r) => [r.input, r] as const))(
    '%s',
    async (_input, row) => {
      const args = row.args.map((a) =>
        a === 'PORT_IN_USE'
          ? String(portInUse)
          : a === 'FORGED_STATE'
            ? forgedState
            : a === 'LOCKED_STATE'
              ? lockedState
              : a,
      );
      let code = 0;
      let stderr = '';
      try {
        await run(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
          cwd: root,
          timeout: 110_000,
          env: {
            ...process.env,
            NO_COLOR: '1',
            FORCE_COLOR: undefined,
            GAMELAN_KAFKA_PROVIDER: undefined,
            GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
            KAFKA_BOOTSTRAP_SERVERS: undefined,
            GAMELAN_HARNESS_STATE: undefined,
            ...row.env,
          },
        });
      } catch (error) {
        const e = error as { code?: number; stderr?: string };
        code = typeof e.code === 'number' ? e.code : -1;
        stderr = e.stderr ?? '';
      }
      expect(code, stderr).toBe(row.exit);
      expect(stderr).toContain(row.message);
      expect(stderr, 'no stack trace without --verbose').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      expect(stderr, 'nothing was started').not.toMatch(/Starting|is up/);
    },
    120_000,
  );
});

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { identityOf, isSameProcess, notAHarnessUp, UP_TOKEN_ENV } from '../../../harness/cli/process-identity.js';

// `down` signals only the harness `up` started. Reported as a new user met it: a state file naming an
// unrelated live process made `down` SIGTERM that process. No broker needed: the CLI as a child process.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-down-test-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function down(stateFile: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'harness/cli/main.ts', 'down', '--state-file', stateFile],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function unrelatedProcess(seconds = 60): ChildProcess & { pid: number } {
  const child = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
  children.push(child);
  return child as ChildProcess & { pid: number };
}

function stateFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const state = (pid: number, extra: object = {}) =>
  JSON.stringify({
    pid,
    kind: 'native',
    bootstrapServers: ['127.0.0.1:9092'],
    brokerCount: 1,
    logFiles: [],
    topics: {},
    configSource: null,
    startedAt: new Date().toISOString(),
    ...extra,
  });

describe('process identity', () => {
  it('names a live process by start time and command line, and tells a different one apart', () => {
    const sleeper = unrelatedProcess();
    const identity = identityOf(sleeper.pid);
    expect(identity?.commandLine).toBe('sleep 60');
    expect(isSameProcess(identity!)).toBe(true);
    expect(isSameProcess({ ...identity!, startTime: `${identity!.startTime}1` })).toBe(false);
    expect(isSameProcess({ ...identity!, commandLine: 'node harness up' })).toBe(false);
    expect(identityOf(-1)).toBeUndefined();
  });
});

describe('a harness `up` is proven from the live process, not from a state file', () => {
  // A node process that looks like `gamelan-harness up` (our main, the `up` command) without booting anything.
  function lookalike(env: NodeJS.ProcessEnv, main = 'harness/cli/main.ts'): ChildProcess & { pid: number } {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)', main, 'up'], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    children.push(child);
    return child as ChildProcess & { pid: number };
  }
  const started = async (child: ChildProcess) => {
    // Until exec has happened, /proc shows the parent's command line: wait for ours.
    for (let i = 0; i < 100 && !identityOf(child.pid!)?.commandLine.includes(' up'); i++)
      await new Promise((r) => setTimeout(r, 20));
  };

  it('node running our main with `up`, holding the token: proven; a wrong or missing token: not', async () => {
    const token = 'c0ffee'.repeat(6);
    const child = lookalike({ ...process.env, [UP_TOKEN_ENV]: token });
    await started(child);
    expect(notAHarnessUp(child.pid!, token)).toBeUndefined();
    expect(notAHarnessUp(child.pid!, 'beef'.repeat(8))).toContain('does not hold the token');
    const tokenless = lookalike({ ...process.env, [UP_TOKEN_ENV]: undefined });
    await started(tokenless);
    expect(notAHarnessUp(tokenless.pid!, token)).toContain('does not hold the token');
    expect(notAHarnessUp(tokenless.pid!, undefined)).toBeUndefined(); // a foreground `up` records no token
  });

  it('`npm run harness -- up` (the launcher imports the CLI in-process) is a harness too', async () => {
    const launched = lookalike({ ...process.env }, 'scripts/harness.mjs');
    await started(launched);
    expect(notAHarnessUp(launched.pid!, undefined)).toBeUndefined();
  });

  it('a process that is not node, or node running something else: refused with what it runs', () => {
    const sleeper = unrelatedProcess();
    expect(notAHarnessUp(sleeper.pid, undefined)).toMatch(/^it is not node but .*sleep/);
    expect(notAHarnessUp(process.pid, undefined)).toContain('not `gamelan-harness up`'); // this test worker is node
    expect(notAHarnessUp(-5, undefined)).toContain('not a process id');
  });
});

describe('down refuses what it cannot prove is its harness', () => {
  it('a state file naming an unrelated live process (no identity recorded): exit 2, the process survives', async () => {
    const sleeper = unrelatedProcess();
    const file = stateFile('old.json', state(sleeper.pid));
    const result = await down(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BROKER_STATE_INVALID');
    expect(result.stderr).toContain(`pid ${sleeper.pid}`);
    expect(result.stderr).toContain('Nothing was signalled');
    expect(isSameProcess(identityOf(sleeper.pid)!)).toBe(true);
    expect(sleeper.exitCode).toBeNull();
    expect(existsSync(file)).toBe(true);
  });

  it('a state file whose pid was reused by another process: exit 2, names what runs there now, the process survives', async () => {
    const sleeper = unrelatedProcess();
    const file = stateFile(
      'reused.json',
      state(sleeper.pid, { process: { pid: sleeper.pid, startTime: '1', commandLine: 'node gamelan-harness up' } }),
    );
    const result = await down(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`sleep 60`');
    expect(result.stderr).toContain('its pid was reused');
    expect(sleeper.exitCode).toBeNull();
    expect(() => process.kill(sleeper.pid, 0)).not.toThrow();
  });

  it("a forged state file that copies an unrelated process's pid, start time and command line: exit 2, the process survives", async () => {
    // Issue #22: the identity check trusted what the file says; now `down` reads the live process itself.
    const sleeper = unrelatedProcess(600);
    const identity = identityOf(sleeper.pid)!;
    const file = stateFile('forged.json', state(sleeper.pid, { process: identity }));
    const result = await down(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BROKER_STATE_INVALID');
    expect(result.stderr).toContain('it is not node but');
    expect(result.stderr).toContain('Nothing was signalled');
    expect(result.stdout).not.toContain('Stopped');
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
    expect(isSameProcess(identity)).toBe(true);
  });

  it('a forged state file with a made-up token for an unrelated process: exit 2, the process survives', async () => {
    const sleeper = unrelatedProcess(600);
    const file = stateFile(
      'forged-token.json',
      state(sleeper.pid, { process: identityOf(sleeper.pid)!, token: 'ab'.repeat(24) }),
    );
    const result = await down(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nothing was signalled');
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
  });

  it.each([
    ['corrupt (not JSON)', '{"pid": 12', 'is corrupt (not JSON'],
    [
      'foreign JSON',
      JSON.stringify({ name: 'my-app', version: '1.0.0' }),
      'is not a harness state file written by `up` ("pid" is undefined',
    ],
    ['JSON list', '[1, 2]', 'it is not a JSON object'],
  ])('a %s state file is reported as such: exit 2', async (_name, content, message) => {
    const file = stateFile(`bad-${Math.random().toString(36).slice(2)}.json`, content);
    const result = await down(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BROKER_STATE_INVALID');
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain(message);
  });

  it('no state file: nothing to stop, exit 0', async () => {
    const result = await down(path.join(dir, 'none.json'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing to stop');
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, descendants, isBrokerJvm } from '../../support/processes.js';

// A closed output never stops the cleanup. Reported as a new user met it: `gamelan-harness up 2>&1 | head -3`,
// then Ctrl-C, left the harness spinning at 100 % CPU (each failed write to the closed pipe raised an
// error whose report went to the same pipe) with the broker still running. Here the harness runs as a
// child process whose output is closed as `| head` closes it (after a few lines) or whose stderr is
// closed from the start; then SIGINT: it must exit promptly, and no process it started may remain.
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-closed-output-'));
const started: ChildProcess[] = [];
const EXIT_WITHIN_MS = 45_000;

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

type Closing = 'head' | 'stderr';

/**
 * Start the CLI with its output closed the given way: `head` reads three lines of stdout+stderr and
 * closes the pipe; `stderr` closes stderr before anything is written.
 */
function harness(
  args: readonly string[],
  closing: Closing,
): { child: ChildProcess & { pid: number }; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      GAMELAN_TEST_KAFKA: undefined,
      GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
    },
  }) as ChildProcess & { pid: number };
  started.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  if (closing === 'stderr') {
    child.stderr!.destroy();
    child.stdout!.resume();
  } else {
    let lines = 0;
    const headOf = (stream: NodeJS.ReadableStream & { destroy(): void }) =>
      stream.on('data', (chunk: Buffer) => {
        lines += chunk.toString().split('\n').length - 1;
        if (lines >= 3) (child.stdout!.destroy(), child.stderr!.destroy());
      });
    headOf(child.stdout!);
    headOf(child.stderr!);
  }
  return { child, exited };
}

/** SIGINT once `ready` holds; then the harness must exit promptly and leave none of its processes behind. */
async function interruptAndCheck(
  closing: Closing,
  args: readonly string[],
  ready: (pid: number) => boolean,
): Promise<void> {
  const { child, exited } = harness(args, closing);
  let jvms: number[] = [];
  await until(
    () => {
      jvms = descendants(child.pid).filter(isBrokerJvm);
      return (jvms.length > 0 && ready(child.pid)) || child.exitCode !== null;
    },
    180_000,
    'the broker JVM',
  );
  expect(child.exitCode, 'the harness ended before it was interrupted').toBeNull();
  const all = descendants(child.pid);
  const t0 = Date.now();
  child.kill('SIGINT');
  const outcome = await Promise.race([exited, sleep(EXIT_WITHIN_MS).then(() => 'still running' as const)]);
  expect(outcome, `no exit ${EXIT_WITHIN_MS / 1000} s after SIGINT`).not.toBe('still running');
  process.stderr.write(
    `[closed-output] ${args[0]} (${closing}): exited ${Date.now() - t0} ms after SIGINT, ${JSON.stringify(outcome)}\n`,
  );
  // The broker's JVM watches its parent; give it the moment it takes to notice, no more.
  await until(
    () => all.every((pid) => !alive(pid)),
    15_000,
    `the harness's processes (${all.join(', ')}) to end`,
  ).catch(() => {});
  expect(all.filter(alive), 'processes the harness started are still running').toEqual([]);
  expect(jvms.length).toBeGreaterThan(0);
}

describe.each<Closing>(['head', 'stderr'])('closed output (%s): SIGINT still stops everything', (closing) => {
  it('up', async () => {
    const stateFile = path.join(dir, `up-${closing}.json`);
    await interruptAndCheck(closing, ['up', '--kafka', 'native', '--state-file', stateFile], () =>
      existsSync(stateFile),
    );
    expect(existsSync(stateFile)).toBe(false);
  }, 240_000);

  it('run', async () => {
    // A scenario that waits, so the signal lands mid-run once the broker is up.
    const scenario = path.join(dir, `waits-${closing}.mjs`);
    writeFileSync(
      scenario,
      `export default { name: 'waits-${closing}', description: 'waits', timeoutMs: 120000, run: () => new Promise((r) => setTimeout(r, 90000)) };\n`,
    );
    let readyAt = 0;
    await interruptAndCheck(
      closing,
      ['run', '--kafka', 'native', '--state-file', path.join(dir, 'none.json'), scenario],
      () => {
        readyAt ||= Date.now();
        return Date.now() - readyAt > 4_000; // the JVM is there; let the stack come up and the scenario start
      },
    );
  }, 240_000);

  it('contract', async () => {
    // An executor that never joins: the contract waits for it (join timeout 120 s) until the signal.
    let readyAt = 0;
    await interruptAndCheck(
      closing,
      [
        'contract',
        '--kafka',
        'native',
        '--type',
        'closed-output',
        '--executor-cmd',
        'sleep 300',
        '--join-timeout',
        '120000',
      ],
      () => {
        readyAt ||= Date.now();
        return Date.now() - readyAt > 4_000;
      },
    );
  }, 240_000);
});

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, descendants, isBrokerJvm } from '../../support/processes.js';

// Ctrl-C during `run` (issue #22): it printed kafkajs JSON log lines with stacks and no summary. The first Ctrl-C
// now stops cleanly with the run so far; a second one stops the broker at once. Real broker, real signals.
const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-interrupt-test-'));
const project = path.join(dir, 'project');
mkdirSync(project);
writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');
const scenario = path.join(project, 'slow.ts');
// Engine and executor running (live kafkajs clients), then a long wait: the moment a user reaches for Ctrl-C.
writeFileSync(
  scenario,
  `import { defineScenario } from ${JSON.stringify(path.join(root, 'harness/index.ts'))};
export default defineScenario({
  name: 'slow',
  description: 'Starts clients, then waits.',
  timeoutMs: 300_000,
  async run(ctx) {
    await ctx.step('clients up', async () => {
      await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'slow-executor', handler: async () => ({ status: 'SUCCESS', data: {} }) });
    });
    await ctx.step('wait', () => new Promise((resolve) => { const t = setTimeout(resolve, 240_000); ctx.signal.addEventListener('abort', () => (clearTimeout(t), resolve(undefined))); }));
  },
});
`,
);
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function runUntilPlaying(): Promise<{
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  jvms: number[];
}> {
  const child = spawn(tsx, ['harness/cli/main.ts', 'run', scenario, '--kafka', 'native'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', GAMELAN_KAFKA_PROVIDER: undefined },
  });
  started.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += String(d)));
  child.stderr!.on('data', (d) => (out.stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Playing: the broker's JVM is up and the scenario has begun; a few seconds more and its clients are running.
  const deadline = Date.now() + 150_000;
  while (!(out.stderr.includes('▶ slow') && descendants(child.pid!).some(isBrokerJvm)) && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`run exited early: ${out.stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 4_000));
  const jvms = descendants(child.pid!).filter(isBrokerJvm);
  expect(jvms.length, out.stderr).toBeGreaterThan(0);
  return { child, out, exited, jvms };
}

/** The process tsx runs the CLI in (tsx relays signals to it; signalling it directly is what a terminal does too). */
const cliProcess = (child: ChildProcess) =>
  descendants(child.pid!).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('harness/cli/main.ts')) ??
  child.pid!;

describe('Ctrl-C during run', () => {
  it('the first stops cleanly: the table of the run so far, exit 130, no kafkajs log lines, the broker stopped', async () => {
    const { child, out, exited, jvms } = await runUntilPlaying();
    process.kill(cliProcess(child), 'SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
    expect(code, out.stderr).toBe(130);
    expect(out.stderr).toContain('Ctrl-C: stopping cleanly and summing up the run so far');
    expect(out.stderr).toContain('Interrupted: the table above is the run so far');
    expect(out.stdout).toMatch(/slow\s*│\s*FAIL/);
    expect(out.stdout).toContain('interrupted (Ctrl-C)');
    expect(out.stderr).not.toContain('"logger":"kafkajs"');
    expect(out.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(jvms.filter(alive)).toEqual([]);
  }, 240_000);

  it('a second Ctrl-C stops the broker at once', async () => {
    const { child, out, exited, jvms } = await runUntilPlaying();
    const cli = cliProcess(child);
    process.kill(cli, 'SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    process.kill(cli, 'SIGINT');
    const t0 = Date.now();
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
    expect(code, out.stderr).toBe(130);
    expect(out.stderr).toContain('Second Ctrl-C: stopping the broker now.');
    expect(Date.now() - t0).toBeLessThan(15_000);
    // Killed synchronously (SIGKILL): give the kernel a moment to reap it.
    for (let i = 0; i < 50 && jvms.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(jvms.filter(alive)).toEqual([]);
  }, 240_000);
});

describe('Ctrl-C during load', () => {
  it('stops starting tasks and prints the report of what ran, exit 130, no kafkajs log lines, the broker stopped', async () => {
    const child = spawn(
      tsx,
      ['harness/cli/main.ts', 'load', '--kafka', 'native', '--duration', '10m', '--rate', '50'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', GAMELAN_KAFKA_PROVIDER: undefined } },
    );
    started.push(child);
    const out = { stdout: '', stderr: '' };
    child.stdout!.on('data', (d) => (out.stdout += String(d)));
    child.stderr!.on('data', (d) => (out.stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 150_000;
    while (!(descendants(child.pid!).some(isBrokerJvm) && /▶ .*start/i.test(out.stderr)) && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`load exited early: ${out.stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 5_000)); // tasks flowing
    const jvms = descendants(child.pid!).filter(isBrokerJvm);
    expect(jvms.length, out.stderr).toBeGreaterThan(0);
    process.kill(cliProcess(child), 'SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 120_000))]);
    expect(code, out.stderr).toBe(130);
    expect(out.stdout).toMatch(/load: [\d,]+ tasks against/);
    expect(out.stderr).toContain('Interrupted: the report covers the tasks started before Ctrl-C');
    expect(out.stderr).not.toContain('"logger":"kafkajs"');
    expect(jvms.filter(alive)).toEqual([]);
  }, 300_000);
});

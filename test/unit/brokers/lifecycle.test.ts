import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The registry installs process-wide handlers, so each case runs in its own Node process.
const registry = fileURLToPath(new URL('../../../harness/lifecycle/index.ts', import.meta.url));

function runScript(body: string, onLine?: (line: string, kill: (s: NodeJS.Signals) => void) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'gamelan-lifecycle-'));
  const file = join(dir, 'script.mts');
  writeFileSync(file, `import { registerCleanup, stopAll } from ${JSON.stringify(registry)};\n${body}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      out += `${line}\n`;
      onLine?.(line, (s) => child.kill(s));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, out });
    }),
  );
}

const resource = (name: string) => `registerCleanup({
  name: '${name}',
  stop: async () => { await new Promise((r) => setTimeout(r, 20)); console.log('stop ${name}'); },
  killSync: () => console.log('killSync ${name}'),
});`;

describe('cleanup registry', () => {
  it('does not keep the process alive, and kills what is left on exit', async () => {
    const { code, out } = await runScript(`${resource('a')}\n${resource('b')}\nconsole.log('registered');`);
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toEqual(['registered', 'killSync b', 'killSync a']);
  });

  it('on SIGTERM runs the async stops newest first, then exits 143', async () => {
    const { code, out } = await runScript(
      `${resource('a')}\n${resource('b')}\nsetInterval(() => {}, 1000);\nconsole.log('ready');`,
      (line, kill) => line === 'ready' && kill('SIGTERM'),
    );
    expect(out.trim().split('\n')).toEqual(['ready', 'stop b', 'stop a']);
    expect(code).toBe(143);
  });

  it('on SIGINT exits 130 after stopping', async () => {
    const { code, out } = await runScript(
      `${resource('a')}\nsetInterval(() => {}, 1000);\nconsole.log('ready');`,
      (line, kill) => line === 'ready' && kill('SIGINT'),
    );
    expect(out).toContain('stop a');
    expect(code).toBe(130);
  });

  it('on an uncaught exception stops, prints the error and exits 1', async () => {
    const { code, out } = await runScript(`${resource('a')}\nsetTimeout(() => { throw new Error('boom'); }, 10);`);
    expect(out).toContain('boom');
    expect(out).toContain('stop a');
    expect(code).toBe(1);
  });

  it('on an unhandled rejection stops and exits 1', async () => {
    const { code, out } = await runScript(`${resource('a')}\nvoid Promise.reject(new Error('nope'));`);
    expect(out).toContain('nope');
    expect(out).toContain('stop a');
    expect(code).toBe(1);
  });

  it('forgets unregistered resources; stopAll stops the rest once', async () => {
    const { code, out } = await runScript(
      `const off = ${resource('a').replace(/;$/, '')};\n${resource('b')}\noff();\nawait stopAll();\nawait stopAll();\nconsole.log('done');`,
    );
    expect(out.trim().split('\n')).toEqual(['stop b', 'done']);
    expect(code).toBe(0);
  });
});

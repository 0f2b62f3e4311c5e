import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { identityOf } from '../../../harness/cli/process-identity.js';
import { acquireUpLock, upLockFile } from '../../../harness/cli/up-lock.js';

// Two `up` on one state file: the second refuses at once (issue #22: it waited 180 s and failed), and a lock whose
// holder is gone never blocks the next `up`.
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-up-lock-'));
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));
const stateFile = (name: string) => path.join(dir, name, 'up.json');

describe('the up lock', () => {
  it('is created beside the state file, naming this process, and released only by it', () => {
    const file = stateFile('a');
    const lock = acquireUpLock(file);
    expect(lock.file).toBe(upLockFile(file));
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({
      pid: process.pid,
      process: { pid: process.pid },
    });
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    lock.release(); // twice: safe
  });

  it('a second taker while a live process holds it: refused at once, naming the holder', () => {
    const file = stateFile('b');
    const first = acquireUpLock(file);
    const t0 = Date.now();
    expect(() => acquireUpLock(file)).toThrow(
      expect.objectContaining({
        code: 'BROKER_START_FAILED',
        message: expect.stringContaining(`another \`up\` (pid ${process.pid}) is starting or running`),
      }),
    );
    expect(Date.now() - t0).toBeLessThan(1_000);
    first.release();
  });

  it('held by another live process: refused; that holder gone: the stale lock is taken over', async () => {
    const file = stateFile('c');
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(holder);
    for (let i = 0; i < 100 && identityOf(holder.pid!)?.commandLine !== 'sleep 60'; i++)
      await new Promise((r) => setTimeout(r, 20));
    acquireUpLock(file).release();
    writeFileSync(upLockFile(file), JSON.stringify({ pid: holder.pid, process: identityOf(holder.pid!) }));
    expect(() => acquireUpLock(file)).toThrow(/is starting or running/);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    const lock = acquireUpLock(file);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('a lock of no process record (garbage, old): stale, taken over', () => {
    const file = stateFile('d');
    acquireUpLock(file).release();
    writeFileSync(upLockFile(file), '{"pid": 2147483000}');
    const lock = acquireUpLock(file);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});

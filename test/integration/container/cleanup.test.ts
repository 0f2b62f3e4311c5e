import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { START_LABEL } from '../../../harness/brokers/index.js';
import { containersLabelled, containerUnavailable, networkExists, until } from './support.js';

// The harness dies with containers running: SIGTERM runs the lifecycle registry; kill -9 runs
// nothing in the harness, so the harness reaper (or Ryuk, where its image exists) must act.

const skip = await containerUnavailable();
const root = fileURLToPath(new URL('../../..', import.meta.url));
const hold = fileURLToPath(new URL('./hold-container.ts', import.meta.url));

interface Held {
  readonly pid: number;
  readonly startId: string;
  readonly containerIds: string[];
  readonly networkName: string;
  readonly exited: Promise<unknown>;
}
const held: Held[] = [];

function holdContainers(options: object = {}): Promise<Held> {
  // tsx directly (not npx): the signal must reach the harness process itself.
  const child = spawn(process.execPath, ['--import', 'tsx', hold, JSON.stringify(options)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        const h = { ...(JSON.parse(line) as Omit<Held, 'exited'>), exited };
        held.push(h);
        resolve(h);
      }
    });
    void exited.then((code) => reject(new Error(`hold-container exited (${String(code)}) before printing its state`)));
  });
}

afterEach(async () => {
  for (const h of held.splice(0)) {
    try {
      process.kill(h.pid, 'SIGKILL');
    } catch {
      // gone
    }
    const { removeSync } = await import('../../../harness/brokers/docker.js');
    removeSync(containersLabelled(`${START_LABEL}=${h.startId}`), [h.networkName]);
  }
});

describe.skipIf(skip)('container cleanup when the harness dies', () => {
  it.each([
    ['SIGTERM', 1],
    ['SIGKILL', 1],
    ['SIGKILL', 3],
  ] as const)('after %s of the harness (%i broker(s)) no container and no network are left', async (signal, brokers) => {
    const h = await holdContainers({ brokers });
    expect(containersLabelled(`${START_LABEL}=${h.startId}`)).toHaveLength(brokers);
    process.kill(h.pid, signal);
    await h.exited;
    expect(await until(() => containersLabelled(`${START_LABEL}=${h.startId}`).length === 0, 30_000)).toBe(true);
    expect(await until(() => !networkExists(h.networkName), 15_000)).toBe(true);
  });
});

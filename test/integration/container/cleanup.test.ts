import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { START_LABEL } from '../../../harness/brokers/index.js';
import { type Held as HeldProcess, holdScript } from '../../support/hold.js';
import { containersLabelled, containerUnavailable, networkExists, until } from './support.js';

// The harness dies with containers running: SIGTERM runs the lifecycle registry; kill -9 runs
// nothing in the harness, so the harness reaper (or Ryuk, where its image exists) must act.

const skip = await containerUnavailable();
const hold = fileURLToPath(new URL('./hold-container.ts', import.meta.url));

type Held = HeldProcess<{
  readonly pid: number;
  readonly startId: string;
  readonly containerIds: string[];
  readonly networkName: string;
}>;
const held: Held[] = [];

async function holdContainers(options: object = {}): Promise<Held> {
  const h = await holdScript<{ pid: number; startId: string; containerIds: string[]; networkName: string }>(hold, [
    JSON.stringify(options),
  ]);
  held.push(h);
  return h;
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
  ] as const)(
    'after %s of the harness (%i broker(s)) no container and no network are left',
    async (signal, brokers) => {
      const h = await holdContainers({ brokers });
      expect(containersLabelled(`${START_LABEL}=${h.startId}`)).toHaveLength(brokers);
      process.kill(h.pid, signal);
      await h.exited;
      expect(await until(() => containersLabelled(`${START_LABEL}=${h.startId}`).length === 0, 30_000)).toBe(true);
      expect(await until(() => !networkExists(h.networkName), 15_000)).toBe(true);
    },
  );
});

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseFaultProxy } from '../../../harness/faults/index.js';
import { containerUnavailable } from './support.js';

// createGlobalSetup({ faultProxy: true, kafka: 'container', brokers: 3 }) and useFaults() as users wire them: a
// child vitest runs the project in ../vitest/faults-kit-container (kill -9 of a key's leader with no record lost,
// a restart, a paused node gone by the next test) and must pass; then none of its containers may be left.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const found = await chooseFaultProxy(); // none only when GAMELAN_FAULT_PROXY forces a missing one
const unavailable = found.kind === 'none' ? found.reason : await containerUnavailable();
if (unavailable) console.warn(`[skip] useFaults() container kit project: ${unavailable}`);

const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-kit-containers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(unavailable !== undefined)(
  "useFaults() with createGlobalSetup({ faultProxy: true, kafka: 'container', brokers: 3 })",
  () => {
    it('runs the kit project: broker faults reach the containers from a test worker, and nothing is left', async () => {
      const containersFile = path.join(dir, 'containers.txt');
      // A clean environment: the child is its own vitest run, not a worker of this one.
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'),
      );
      const startedAt = Date.now();
      const result = await run(
        path.join(root, 'node_modules/.bin/vitest'),
        ['run', '--config', 'test/integration/vitest/faults-kit-container/vitest.config.ts'],
        {
          cwd: root,
          env: { ...env, NO_COLOR: '1', GAMELAN_KIT_CONTAINERS_FILE: containersFile },
          timeout: 400_000,
        },
      ).catch((error: { stdout?: string; stderr?: string; code?: number }) => error);
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
      console.log(
        `container kit project ran in ${Date.now() - startedAt} ms; ${output.match(/killed leader .*/)?.[0] ?? '(no failover figures printed)'}`,
      );
      expect((result as { code?: number }).code ?? 0, output).toBe(0);
      expect(output).toMatch(/Tests\s+4 passed \(4\)/);

      const ids = readFileSync(containersFile, 'utf8').split('\n').filter(Boolean);
      expect(ids).toHaveLength(3);
      const left = ids.filter(
        (id) =>
          execFileSync('docker', ['ps', '-aq', '--no-trunc', '--filter', `id=${id}`], { encoding: 'utf8' }).trim() !==
          '',
      );
      expect(left, 'containers of the kit run still in `docker ps -a`').toEqual([]);
    }, 450_000);
  },
);

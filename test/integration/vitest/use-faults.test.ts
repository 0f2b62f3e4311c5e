import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseFaultProxy } from '../../../harness/faults/index.js';
import { nativeUnavailable } from '../../support/broker.js';

// createGlobalSetup({ faultProxy: true }) and useFaults() as users wire them: a child vitest runs the
// project in ./faults-kit (a blackhole and a paused node, each gone by the next test) and must pass.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const found = await chooseFaultProxy(); // none only when GAMELAN_FAULT_PROXY forces a missing one
const unavailable = found.kind === 'none' ? found.reason : await nativeUnavailable();
if (unavailable) console.warn(`[skip] useFaults() kit project: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('useFaults() with createGlobalSetup({ faultProxy: true })', () => {
  it('runs the kit project: faults hit this file only while in force', async () => {
    // A clean environment: the child is its own vitest run, not a worker of this one.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'),
    );
    const result = await run(
      path.join(root, 'node_modules/.bin/vitest'),
      ['run', '--config', 'test/integration/vitest/faults-kit/vitest.config.ts'],
      {
        cwd: root,
        env: { ...env, NO_COLOR: '1', GAMELAN_KAFKA_PROVIDER: 'native' },
        timeout: 240_000,
      },
    ).catch((error: { stdout?: string; stderr?: string; code?: number }) => error);
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    expect((result as { code?: number }).code ?? 0, output).toBe(0);
    expect(output).toMatch(/Tests\s+4 passed \(4\)/);
  }, 300_000);
});

import { describe, expect, it } from 'vitest';
import { findToxiproxy, startToxiproxy } from '../../../harness/faults/index.js';
import { pendingCleanups } from '../../../harness/lifecycle/index.js';
import { waitFor } from '../../../harness/wait.js';
import { holdScript } from '../../support/hold.js';

// The Toxiproxy server the harness starts itself: loopback, stopped by stop() and by the lifecycle
// registry, and gone when the harness is killed with kill -9. No broker here.

const found = findToxiproxy();
const unavailable = found.kind === 'none' ? found.reason : undefined;
if (unavailable) console.warn(`[skip] toxiproxy-server tests: ${unavailable}`);
const answers = async (url: string) => fetch(`${url}/version`).then((r) => r.ok, () => false);

describe.skipIf(unavailable !== undefined)('toxiproxy-server started by the harness', () => {
  it('answers on 127.0.0.1, is registered for cleanup, and is gone after stop (twice is fine)', async () => {
    const toxiproxy = await startToxiproxy();
    expect(toxiproxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(toxiproxy.version).toMatch(/\d+\.\d+/);
    expect(await answers(toxiproxy.url)).toBe(true);
    expect(pendingCleanups().map((r) => r.name)).toContain(`toxiproxy-server on ${toxiproxy.url}`);
    await toxiproxy.stop();
    await toxiproxy.stop();
    expect(await answers(toxiproxy.url)).toBe(false);
    expect(pendingCleanups().map((r) => r.name)).not.toContain(`toxiproxy-server on ${toxiproxy.url}`);
  });

  it('dies with a harness killed by kill -9', async () => {
    const held = await holdScript<{ url: string; pid: number }>('test/integration/faults/hold-toxiproxy.ts');
    expect(await answers(held.url)).toBe(true);
    process.kill(held.pid, 'SIGKILL');
    await held.exited;
    await waitFor(async () => ((await answers(held.url)) ? undefined : true), { timeoutMs: 10_000, description: `toxiproxy-server at ${held.url} to stop after its harness was killed` });
  });

  it('attaches to the server at TOXIPROXY_URL and leaves it running', async () => {
    await using own = await startToxiproxy();
    const attached = await startToxiproxy({ env: { ...process.env, TOXIPROXY_URL: own.url } });
    expect(attached.source).toEqual({ kind: 'url', url: own.url });
    await attached.stop();
    expect(await answers(own.url)).toBe(true);
  });
});

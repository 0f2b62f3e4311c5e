import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type FaultProxyKind, startToxiproxy } from '../../../harness/faults/index.js';
import { pendingCleanups } from '../../../harness/lifecycle/index.js';
import { waitFor } from '../../../harness/wait.js';
import { faultProxiesUnderTest } from '../../support/fault-proxies.js';
import { holdScript } from '../../support/hold.js';

// The fault proxy the harness starts itself, of each kind this machine offers (toxiproxy-server, the
// Toxiproxy container, the built-in proxy): loopback, stopped by stop() and by the lifecycle registry,
// and gone when the harness is killed with kill -9. No broker here.

const kinds = await faultProxiesUnderTest('fault proxy start/stop tests');
const answers = async (url: string) =>
  fetch(`${url}/version`).then(
    (r) => r.ok,
    () => false,
  );
/** The name each kind registers for cleanup (what a stuck exit would list). */
const cleanupName: Record<FaultProxyKind, (url: string) => string> = {
  toxiproxy: (url) => `toxiproxy-server on ${url}`,
  testcontainers: (url) => `Toxiproxy container on ${url}`,
  builtin: (url) => `built-in fault proxy on ${url}`,
};
const containerExists = (id: string) =>
  execFileSync('docker', ['ps', '-aq', '--no-trunc', '--filter', `id=${id}`], { encoding: 'utf8' }).trim() !== '';

describe.each(kinds.filter((k) => !k.unavailable).map((k) => k.kind))(
  'the %s fault proxy started by the harness',
  (kind) => {
    it('answers on 127.0.0.1, is registered for cleanup, and is gone after stop (twice is fine)', async () => {
      const toxiproxy = await startToxiproxy({ kind });
      expect(toxiproxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(toxiproxy.version).toMatch(/\d+\.\d+/);
      expect(await answers(toxiproxy.url)).toBe(true);
      expect(pendingCleanups().map((r) => r.name)).toContain(cleanupName[kind](toxiproxy.url));
      await toxiproxy.stop();
      await toxiproxy.stop();
      expect(await answers(toxiproxy.url)).toBe(false);
      expect(pendingCleanups().map((r) => r.name)).not.toContain(cleanupName[kind](toxiproxy.url));
      if (toxiproxy.source.kind === 'testcontainers') expect(containerExists(toxiproxy.source.containerId)).toBe(false);
    });

    it('dies with a harness killed by kill -9', async () => {
      const held = await holdScript<{ url: string; pid: number; containerId?: string }>(
        'test/integration/faults/hold-toxiproxy.ts',
        [kind],
      );
      expect(await answers(held.url)).toBe(true);
      process.kill(held.pid, 'SIGKILL');
      await held.exited;
      await waitFor(async () => ((await answers(held.url)) ? undefined : true), {
        timeoutMs: 10_000,
        description: `the ${kind} fault proxy at ${held.url} to stop after its harness was killed`,
      });
      if (held.containerId) {
        const id = held.containerId;
        await waitFor(() => (containerExists(id) ? undefined : true), {
          timeoutMs: 20_000,
          description: `the reaper to remove container ${id.slice(0, 12)}`,
        });
      }
    });

    it('is attached to at TOXIPROXY_URL and left running', async () => {
      await using own = await startToxiproxy({ kind });
      const attached = await startToxiproxy({
        env: { ...process.env, TOXIPROXY_URL: own.url, GAMELAN_FAULT_PROXY: '' },
      });
      expect(attached.source).toEqual({ kind: 'url', url: own.url });
      expect(attached.version).toBe(own.version);
      await attached.stop();
      expect(await answers(own.url)).toBe(true);
    });
  },
);

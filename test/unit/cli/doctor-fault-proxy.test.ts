import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// `doctor` says which fault proxy network faults use and why (no broker: it only looks).

const doctor = (env: NodeJS.ProcessEnv, args: string[] = []) =>
  runCli(['doctor', ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });

describe('doctor: the fault proxy', () => {
  it('names the kind in use and why, in text and JSON (GAMELAN_FAULT_PROXY=builtin)', async () => {
    const text = await doctor({ GAMELAN_FAULT_PROXY: 'builtin' });
    expect(text.stdout).toContain(
      "✔ fault proxy (network faults): builtin: the built-in proxy, Toxiproxy's API in this process on 127.0.0.1 (GAMELAN_FAULT_PROXY=builtin)",
    );
    const json = await doctor({ GAMELAN_FAULT_PROXY: 'builtin' }, ['--json']);
    expect((JSON.parse(json.stdout) as { faultProxy: unknown }).faultProxy).toEqual({
      kind: 'builtin',
      description: expect.stringContaining('(GAMELAN_FAULT_PROXY=builtin)'),
    });
  }, 60_000);

  it('marks an unknown GAMELAN_FAULT_PROXY, naming it and the choices', async () => {
    const text = await doctor({ GAMELAN_FAULT_PROXY: 'squid' });
    expect(text.stdout).toContain(
      '✖ fault proxy (network faults): GAMELAN_FAULT_PROXY="squid" is not a fault proxy: use one of toxiproxy, testcontainers, builtin, or unset it.',
    );
  }, 60_000);
});

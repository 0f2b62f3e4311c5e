import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultError } from '../../../harness/errors.js';
import {
  chooseFaultProxy,
  faultProxyDiagnosis,
  faultProxyKindFromEnv,
  findToxiproxy,
  installedToxiproxyPath,
  startToxiproxy,
} from '../../../harness/faults/index.js';
import { ConfigError } from '../../../harness/errors.js';

const executable = (path: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
};

describe('findToxiproxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'find-toxiproxy-'));
  const cache = join(dir, 'cache');
  const bin = join(dir, 'bin');

  it('prefers TOXIPROXY_URL, then PATH, then the installed copy in the cache', () => {
    executable(join(bin, 'toxiproxy-server'));
    executable(installedToxiproxyPath({ GAMELAN_HARNESS_CACHE: cache }));
    expect(findToxiproxy({ TOXIPROXY_URL: 'http://127.0.0.1:8474/', PATH: bin, GAMELAN_HARNESS_CACHE: cache })).toEqual(
      { kind: 'url', url: 'http://127.0.0.1:8474' },
    );
    expect(findToxiproxy({ PATH: bin, GAMELAN_HARNESS_CACHE: cache })).toEqual({
      kind: 'binary',
      path: join(bin, 'toxiproxy-server'),
      from: 'PATH',
    });
    expect(findToxiproxy({ PATH: '/nonexistent', GAMELAN_HARNESS_CACHE: cache })).toEqual({
      kind: 'binary',
      path: join(cache, 'toxiproxy', 'toxiproxy-server'),
      from: 'cache',
    });
  });

  it('says what to do when there is none; forced to Toxiproxy, starting fails with that reason', async () => {
    const env = { PATH: '/nonexistent', GAMELAN_HARNESS_CACHE: join(dir, 'empty') };
    const none = findToxiproxy(env);
    expect(none.kind).toBe('none');
    expect((none as { reason: string }).reason).toContain('scripts/install-toxiproxy.sh');
    await expect(startToxiproxy({ env: { ...env, GAMELAN_FAULT_PROXY: 'toxiproxy' } })).rejects.toMatchObject({
      name: 'FaultError',
      code: 'FAULT_PROXY_UNAVAILABLE',
      message: expect.stringContaining('GAMELAN_FAULT_PROXY=toxiproxy, but no Toxiproxy: TOXIPROXY_URL is not set'),
    });
  });

  it('rejects a TOXIPROXY_URL that is no API address, naming it', () => {
    const bad = () => findToxiproxy({ TOXIPROXY_URL: '127.0.0.1:8474' });
    expect(bad).toThrow(FaultError);
    expect(bad).toThrow('TOXIPROXY_URL="127.0.0.1:8474" is not a Toxiproxy API address; expected http://host:port');
  });
});

describe('choosing the fault proxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'choose-fault-proxy-'));
  const bin = join(dir, 'bin');
  executable(join(bin, 'toxiproxy-server'));
  // No Toxiproxy and no docker CLI on this PATH (so no engine answers): only the built-in proxy is left.
  const bare = { PATH: '/nonexistent', GAMELAN_HARNESS_CACHE: join(dir, 'empty') };

  it('takes a Toxiproxy first, else (no Docker) the built-in proxy, saying why', async () => {
    expect(await chooseFaultProxy({ PATH: bin, GAMELAN_HARNESS_CACHE: join(dir, 'empty') })).toEqual({
      kind: 'toxiproxy',
      source: { kind: 'binary', path: join(bin, 'toxiproxy-server'), from: 'PATH' },
      why: 'the first choice',
    });
    const fallback = await chooseFaultProxy(bare);
    expect(fallback.kind).toBe('builtin');
    expect((fallback as { why: string }).why).toMatch(
      /^the last resort, as no Toxiproxy: .* and no Toxiproxy container: Docker: (docker CLI not found|no Docker engine answers)/,
    );
    const diagnosis = await faultProxyDiagnosis(bare);
    expect(diagnosis).toMatchObject({
      kind: 'builtin',
      description: expect.stringContaining(
        "the built-in proxy, Toxiproxy's API in this process on 127.0.0.1 (the last resort",
      ),
    });
  });

  it('GAMELAN_FAULT_PROXY forces one: the built-in even where Toxiproxy is found; a missing container is none, with the reason', async () => {
    expect(await chooseFaultProxy({ PATH: bin, GAMELAN_FAULT_PROXY: 'builtin' })).toEqual({
      kind: 'builtin',
      why: 'GAMELAN_FAULT_PROXY=builtin',
    });
    expect(await chooseFaultProxy({ ...bare, GAMELAN_FAULT_PROXY: ' Testcontainers ' })).toEqual({
      kind: 'none',
      reason: expect.stringMatching(
        /^GAMELAN_FAULT_PROXY=testcontainers, but the Toxiproxy container cannot run: Docker: (docker CLI not found|no Docker engine answers)/,
      ),
    });
    expect(faultProxyKindFromEnv({ GAMELAN_FAULT_PROXY: '' })).toBeUndefined();
    const started = await startToxiproxy({ env: { ...bare, GAMELAN_FAULT_PROXY: 'builtin' } });
    expect(started.source).toEqual({ kind: 'builtin' });
    await started.stop();
  });

  it('refuses an unknown GAMELAN_FAULT_PROXY, naming the variable, the value and the choices', async () => {
    const bad = () => faultProxyKindFromEnv({ GAMELAN_FAULT_PROXY: 'squid' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      'GAMELAN_FAULT_PROXY="squid" is not a fault proxy: use one of toxiproxy, testcontainers, builtin, or unset it.',
    );
    await expect(chooseFaultProxy({ GAMELAN_FAULT_PROXY: 'squid' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      details: { key: 'GAMELAN_FAULT_PROXY', value: 'squid' },
    });
    expect(await faultProxyDiagnosis({ GAMELAN_FAULT_PROXY: 'squid' })).toEqual({
      kind: 'none',
      reason: expect.stringContaining('GAMELAN_FAULT_PROXY="squid"'),
    });
  });
});

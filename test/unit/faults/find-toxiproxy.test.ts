import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultError } from '../../../harness/errors.js';
import { findToxiproxy, installedToxiproxyPath, startToxiproxy } from '../../../harness/faults/index.js';

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
    expect(findToxiproxy({ TOXIPROXY_URL: 'http://127.0.0.1:8474/', PATH: bin, GAMELAN_HARNESS_CACHE: cache })).toEqual({ kind: 'url', url: 'http://127.0.0.1:8474' });
    expect(findToxiproxy({ PATH: bin, GAMELAN_HARNESS_CACHE: cache })).toEqual({ kind: 'binary', path: join(bin, 'toxiproxy-server'), from: 'PATH' });
    expect(findToxiproxy({ PATH: '/nonexistent', GAMELAN_HARNESS_CACHE: cache })).toEqual({ kind: 'binary', path: join(cache, 'toxiproxy', 'toxiproxy-server'), from: 'cache' });
  });

  it('says what to do when there is none', async () => {
    const env = { PATH: '/nonexistent', GAMELAN_HARNESS_CACHE: join(dir, 'empty') };
    const none = findToxiproxy(env);
    expect(none.kind).toBe('none');
    expect((none as { reason: string }).reason).toContain('scripts/install-toxiproxy.sh');
    await expect(startToxiproxy({ env })).rejects.toMatchObject({ name: 'FaultError', code: 'FAULT_PROXY_UNAVAILABLE' });
  });

  it('rejects a TOXIPROXY_URL that is no API address, naming it', () => {
    const bad = () => findToxiproxy({ TOXIPROXY_URL: '127.0.0.1:8474' });
    expect(bad).toThrow(FaultError);
    expect(bad).toThrow('TOXIPROXY_URL="127.0.0.1:8474" is not a Toxiproxy API address; expected http://host:port');
  });
});

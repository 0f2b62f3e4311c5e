import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../harness/config/index.js';
import { readTextFileBounded } from '../../../harness/config/read-bounded.js';
import { configErrorOf } from '../../support/config-files.js';

// Files the user names are read bounded (issue #22): `--config /dev/zero` read for ever at 0.6 GB/s, a FIFO blocked
// silently, and a UTF-8 BOM hid the first key from the unknown-key check.
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-read-bounded-'));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const refusal = configErrorOf;

describe('readTextFileBounded', () => {
  it('reads a regular file and strips a UTF-8 BOM', () => {
    expect(readTextFileBounded(file('bom.txt', '\uFEFFa=1\n'), { what: 'x' })).toBe('a=1\n');
    expect(readTextFileBounded(file('plain.txt', 'a=1\n'), { what: 'x' })).toBe('a=1\n');
  });

  it('refuses /dev/zero at once (a device), instead of reading for ever', () => {
    const t0 = Date.now();
    const error = refusal(() => readTextFileBounded('/dev/zero', { what: '--config /dev/zero' }));
    expect(error.message).toBe('--config /dev/zero is a device; give a regular file (at most 4.0 MiB).');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('refuses a FIFO without blocking on it', () => {
    const fifo = path.join(dir, 'app.properties.fifo');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    expect(refusal(() => readTextFileBounded(fifo, { what: '--config' })).message).toContain('is a FIFO');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('refuses a directory, a missing file and a file over the cap, naming them', () => {
    expect(refusal(() => readTextFileBounded(dir, { what: `--cases ${dir}` })).message).toMatch(/is a directory/);
    expect(refusal(() => readTextFileBounded(path.join(dir, 'none'), { what: '--cases none' }))).toMatchObject({
      code: 'CONFIG_FILE_NOT_FOUND',
      message: '--cases none does not exist; give a regular file.',
    });
    const big = file('big.json', Buffer.alloc(2048, 0x20));
    expect(refusal(() => readTextFileBounded(big, { what: '--file big.json', maxBytes: 1024 })).message).toBe(
      '--file big.json is 2048 bytes; a file here is at most 1024 bytes.',
    );
    expect(readTextFileBounded(big, { what: 'x', maxBytes: 2048 })).toHaveLength(2048);
  });
});

describe('readConfig reads bounded', () => {
  it('a BOM before an unknown first key: the key is still checked', () => {
    const p = file('bom.properties', '\uFEFFgamelan.kafka.partitons=3\n');
    const error = refusal(() => readConfig(p));
    expect(error.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(error.message).toContain('"gamelan.kafka.partitons"');
  });

  it('a BOM before a valid first key: the key applies', () => {
    const p = file('bom-ok.properties', '\uFEFFgamelan.kafka.partitions=7\n');
    expect(readConfig(p).gamelan.partitions).toBe(7);
  });

  it('a FIFO named .properties: CONFIG_PARSE_FAILED at once', () => {
    const fifo = path.join(dir, 'fifo.properties');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(() => readConfig(fifo))).toMatchObject({
      code: 'CONFIG_PARSE_FAILED',
      message: expect.stringContaining('is a FIFO'),
    });
  });
});

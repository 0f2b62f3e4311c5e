import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.js';
import { assertCacheDirUsable, assertOutputPath, outputPathProblem } from '../../../harness/cli/output-paths.js';

// Output and state paths are checked before anything starts (issue #22): under /proc Node 20's mkdir -p never
// returns, and a directory given for a file failed only after the scenarios had passed.
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-output-paths-'));
const file = path.join(dir, 'a-file.txt');
writeFileSync(file, 'x');

describe('outputPathProblem', () => {
  it.each([
    ['a new file in an existing directory', path.join(dir, 'r.json'), 'file'],
    ['a new file several directories down', path.join(dir, 'a/b/c/r.json'), 'file'],
    ['an existing regular file', file, 'file'],
    ['a new directory', path.join(dir, 'rec'), 'directory'],
    ['an existing directory', dir, 'directory'],
    ['/dev/null', '/dev/null', 'file'],
  ] as const)('%s: accepted', (_name, value, kind) => {
    expect(outputPathProblem(value, kind)).toBeUndefined();
  });

  it.each([
    ['under /proc', '/proc/nope/r.json', 'file', 'under /proc, a kernel file system'],
    ['/proc itself', '/proc', 'directory', 'under /proc'],
    ['under /sys', '/sys/nope/r.json', 'file', 'under /sys'],
    ['a directory given for a file', dir, 'file', 'it is a directory'],
    ['a file given for a directory', file, 'directory', 'it is a file, not a directory'],
    ['a path through a file', path.join(file, 'r.json'), 'file', `${file} is a file, not a directory`],
    ['a name longer than 255 bytes', path.join(dir, `${'n'.repeat(300)}.json`), 'file', 'a file name is at most 255'],
    [
      'a path longer than 4095 bytes',
      path.join(dir, ...Array.from({ length: 40 }, () => 'd'.repeat(120))),
      'file',
      'paths are at most 4095',
    ],
    ['an empty path', '  ', 'file', 'it is empty'],
    ['a NUL byte', 'r\0.json', 'file', 'NUL byte'],
  ] as const)('%s: refused (%s)', (_name, value, kind, problem) => {
    expect(outputPathProblem(value, kind)).toContain(problem);
  });

  it('a FIFO given for a file: refused (opening it to write would block)', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(outputPathProblem(fifo, 'file')).toContain('not a regular file');
  });

  it.skipIf(process.getuid?.() === 0)('a directory without write permission: refused', () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    expect(outputPathProblem(path.join(locked, 'r.json'), 'file')).toContain('is not a directory you can write in');
  });

  it('returns at once under /proc (never creates anything)', () => {
    const t0 = Date.now();
    expect(outputPathProblem('/proc/self/nope/deeper/r.json', 'file')).toContain('under /proc');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});

describe('assertOutputPath and assertCacheDirUsable', () => {
  it('throw CONFIG_INVALID_VALUE naming the flag, the value and what is allowed', () => {
    const error = (() => {
      try {
        assertOutputPath('--json', '/proc/nope/r.json', 'file');
      } catch (e) {
        return e;
      }
      return undefined;
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_INVALID_VALUE');
    expect(error.message).toBe(
      '--json "/proc/nope/r.json" cannot be written: it is under /proc, a kernel file system, not a place for files. Use a file path (new or a regular file) under a directory you can write in, e.g. reports/results.json.',
    );
    expect(assertOutputPath('--json', path.join(dir, 'ok.json'), 'file')).toBe(path.join(dir, 'ok.json'));
  });

  it('name HOME when the cache would go under it', () => {
    expect(() => assertCacheDirUsable('/proc/.cache/gamelan-kafka-harness', { HOME: '/proc' })).toThrow(
      /from HOME="\/proc"\) cannot be written: it is under \/proc/,
    );
    expect(() => assertCacheDirUsable('/proc/x', { GAMELAN_HARNESS_CACHE: '/proc/x', HOME: '/root' })).toThrow(
      /GAMELAN_HARNESS_CACHE="\/proc\/x"/,
    );
    expect(() => assertCacheDirUsable(path.join(dir, 'cache'), { HOME: dir })).not.toThrow();
  });
});

import { accessSync, constants, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

// Where the CLI will write (reports, recordings, state files, its cache), checked before anything starts: a bad path
// is bad input named by its flag, never a failure after a scenario passed. Nothing here creates a directory: under
// /proc Node 20's recursive mkdir never returns (it loops at 100 % CPU), so the nearest existing ancestor is checked
// by hand, and the writers' own mkdir then only runs under a real, writable directory.

export type OutputKind = 'file' | 'directory';

/** Kernel file systems: nothing the harness writes belongs there, and mkdir -p under /proc never returns. */
const KERNEL_ROOTS = ['/proc', '/sys'];
/** Longest single path component (bytes) and whole path most file systems take (ENAMETOOLONG beyond). */
const MAX_NAME_BYTES = 255;
const MAX_PATH_BYTES = 4095;

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Why `value` cannot be written as a `kind` (undefined: it can). The path need not exist; its nearest existing
 * ancestor must be a writable directory, and the path itself, when it exists, must be of that kind.
 */
export function outputPathProblem(value: string, kind: OutputKind): string | undefined {
  if (value.trim() === '') return 'it is empty';
  if (value.includes('\0')) return 'it holds a NUL byte';
  const absolute = path.resolve(value);
  if (Buffer.byteLength(absolute) > MAX_PATH_BYTES)
    return `it is ${Buffer.byteLength(absolute)} bytes long once resolved; paths are at most ${MAX_PATH_BYTES}`;
  const long = absolute.split(path.sep).find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES);
  if (long)
    return `the name "${long.slice(0, 40)}…" is ${Buffer.byteLength(long)} bytes long; a file name is at most ${MAX_NAME_BYTES}`;
  const kernel = KERNEL_ROOTS.find((root) => absolute === root || absolute.startsWith(`${root}/`));
  if (kernel) return `it is under ${kernel}, a kernel file system, not a place for files`;
  const self = statOf(absolute);
  if (self) {
    if (kind === 'file' && self.isDirectory()) return 'it is a directory; give a file path inside it';
    if (kind === 'directory' && !self.isDirectory()) return 'it is a file, not a directory';
    // A FIFO or a device would block or swallow the write; /dev/null is the one device asked for on purpose.
    if (kind === 'file' && !self.isFile() && absolute !== '/dev/null')
      return 'it is not a regular file (a FIFO, socket or device)';
    try {
      accessSync(absolute, constants.W_OK);
    } catch {
      return 'it is not writable by you';
    }
    return undefined;
  }
  // The nearest ancestor that exists must be a directory we may write in: the writer creates the rest.
  let ancestor = path.dirname(absolute);
  let parent = statOf(ancestor);
  while (!parent && path.dirname(ancestor) !== ancestor) {
    ancestor = path.dirname(ancestor);
    parent = statOf(ancestor);
  }
  if (!parent) return `none of its parent directories exists`;
  if (!parent.isDirectory()) return `${ancestor} is a file, not a directory`;
  try {
    accessSync(ancestor, constants.W_OK | constants.X_OK);
  } catch {
    return `${ancestor} is not a directory you can write in`;
  }
  return undefined;
}

const ALLOWED: Readonly<Record<OutputKind, string>> = {
  file: 'a file path (new or a regular file) under a directory you can write in, e.g. reports/results.json',
  directory: 'a directory path (new or existing) under a directory you can write in, e.g. reports/recording',
};

/** Throws CONFIG_INVALID_VALUE (exit 2) naming the flag, the value and what is allowed when `value` cannot be written. */
export function assertOutputPath(flag: string, value: string, kind: OutputKind): string {
  const problem = outputPathProblem(value, kind);
  if (problem === undefined) return path.resolve(value);
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${flag} ${JSON.stringify(value)} cannot be written: ${problem}. Use ${ALLOWED[kind]}.`,
    { key: flag, value },
  );
}

/** For a yargs `.check`: every given output option (by camel-cased argv key) is a path that can be written. */
export function checkOutputPaths(argv: Record<string, unknown>, flags: Readonly<Record<string, OutputKind>>): true {
  for (const [flag, kind] of Object.entries(flags)) {
    const key = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = argv[key];
    if (typeof value === 'string' && value.trim() !== '') assertOutputPath(`--${flag}`, value, kind);
  }
  return true;
}

/**
 * The per-user cache (jars, logs) can be made: named by where it came from (GAMELAN_HARNESS_CACHE, XDG_CACHE_HOME or
 * HOME), so `HOME=/proc up` is bad input at once instead of a CLI that spins creating it.
 */
export function assertCacheDirUsable(
  dir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  const problem = outputPathProblem(dir, 'directory');
  if (problem === undefined) return;
  const source = env.GAMELAN_HARNESS_CACHE ? 'GAMELAN_HARNESS_CACHE' : env.XDG_CACHE_HOME ? 'XDG_CACHE_HOME' : 'HOME';
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `The harness cache ${dir} (from ${source}=${JSON.stringify(env[source] ?? '')}) cannot be written: ${problem}. ` +
      'Set GAMELAN_HARNESS_CACHE (or XDG_CACHE_HOME, or HOME) to a directory you can write in.',
    { key: source, value: env[source] },
  );
}

import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BrokerError, ConfigError } from '../errors.js';
import { identityOf, isSameProcess, type ProcessIdentity } from './process-identity.js';

// One `up` per state file at a time. Two `up --detach` in one folder both saw "no harness running" and both booted
// a broker; one answered, the other timed out and failed. The lock is a file created with O_EXCL (`wx`) beside
// the state file, naming its holder's process; a holder that is gone (killed -9, crashed) leaves a stale lock the
// next `up` removes. A detached `up` hands the lock to the child it starts (the child sees its parent holds it).

export interface UpLock {
  readonly file: string;
  /** Removes the lock if this process still holds it; safe to call twice. */
  release(): void;
}

interface LockRecord {
  readonly pid: number;
  readonly process?: ProcessIdentity;
  /** A detached `up`: the token of the child it starts, which takes the lock over. */
  readonly handoff?: string;
}

/** A lock file younger than this with no readable record is a holder between create and write: taken. */
const HALF_WRITTEN_GRACE_MS = 2_000;

export function upLockFile(stateFile: string): string {
  return `${stateFile.replace(/\.json$/, '')}.lock`;
}

function record(handoff?: string): string {
  const identity = identityOf(process.pid);
  return `${JSON.stringify({ pid: process.pid, ...(identity && { process: identity }), ...(handoff && { handoff }) })}\n`;
}

function readLock(file: string): LockRecord | 'half-written' | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'gone';
  }
  try {
    const json = JSON.parse(text) as LockRecord;
    if (Number.isInteger(json.pid)) return json;
  } catch {
    // below
  }
  try {
    return Date.now() - statSync(file).mtimeMs < HALF_WRITTEN_GRACE_MS ? 'half-written' : { pid: 0 };
  } catch {
    return 'gone';
  }
}

const holds = (lock: LockRecord): boolean => (lock.process ? isSameProcess(lock.process) : false);

/**
 * Take the `up` lock of `stateFile`, or throw at once: BROKER_START_FAILED when another live `up` holds it (the
 * second of two concurrent starts), CONFIG_INVALID_VALUE when the lock cannot be made where --state-file points.
 */
export function acquireUpLock(
  stateFile: string,
  { handoff, takeover }: { readonly handoff?: string | undefined; readonly takeover?: string | undefined } = {},
): UpLock {
  const file = upLockFile(stateFile);
  const lock: UpLock = {
    file,
    release: () => {
      const held = readLock(file);
      if (typeof held === 'object' && held.pid === process.pid) rmSync(file, { force: true });
    },
  };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `--state-file ${stateFile}: its directory cannot be made (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass a --state-file in a directory you can write in.`,
      { key: '--state-file', value: stateFile },
      { cause: error },
    );
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, record(handoff));
      } finally {
        closeSync(fd);
      }
      return lock;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          `--state-file ${stateFile}: the lock ${file} cannot be created (${code ?? (error as Error).message}); pass a --state-file in a directory you can write in.`,
          { key: '--state-file', value: stateFile },
          { cause: error },
        );
      }
    }
    const holder = readLock(file);
    if (holder === 'gone') continue;
    if (
      holder !== 'half-written' &&
      takeover !== undefined &&
      holder.handoff === takeover &&
      holder.pid === process.ppid &&
      holds(holder)
    ) {
      // Our parent is the `up --detach` that took the lock for us (it named our token): it is ours now.
      const tmp = `${file}.${process.pid}.tmp`;
      rmSync(tmp, { force: true });
      const fd = openSync(tmp, 'wx', 0o600);
      writeSync(fd, record());
      closeSync(fd);
      renameSync(tmp, file);
      return lock;
    }
    if (holder === 'half-written' || holds(holder)) {
      const who = holder === 'half-written' ? 'another `up`' : `another \`up\` (pid ${holder.pid})`;
      throw new BrokerError(
        'BROKER_START_FAILED',
        `${who} is starting or running with the state file ${stateFile} (lock ${file}); nothing was started. ` +
          'Wait for it (`gamelan-harness topics` answers once it has started), stop it with `gamelan-harness down`, or pass another --state-file.',
      );
    }
    rmSync(file, { force: true }); // stale: its holder is gone
  }
  throw new BrokerError(
    'BROKER_START_FAILED',
    `The lock ${file} of the state file ${stateFile} keeps changing hands; another \`up\` is starting. Nothing was started.`,
  );
}

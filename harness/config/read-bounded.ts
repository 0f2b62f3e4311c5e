import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError } from '../errors.js';

// Reading a file the user names (--config, --command-config, --cases, produce --file) must end: /dev/zero never
// ends and grows memory by the second, a FIFO blocks until someone writes. So: a regular file only (checked on the
// opened descriptor, opened non-blocking so a FIFO cannot hold the open), at most `maxBytes`, and a UTF-8
// byte-order mark stripped so the first key is read as written.

/** The most a configuration or input file may hold; far above any real one. */
export const MAX_INPUT_FILE_BYTES = 4 * 1024 * 1024;

export interface BoundedReadOptions {
  /** How the message names the file, e.g. `--config /path/app.properties`. */
  readonly what: string;
  readonly maxBytes?: number;
}

/** The text of a regular file of at most `maxBytes`, BOM stripped; a ConfigError (exit 2) naming it otherwise. */
export function readTextFileBounded(
  file: string,
  { what, maxBytes = MAX_INPUT_FILE_BYTES }: BoundedReadOptions,
): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'is not readable by you'
          : code === 'EISDIR'
            ? 'is a directory'
            : `cannot be opened (${code ?? (error as Error).message})`;
    throw new ConfigError(
      code === 'ENOENT' ? 'CONFIG_FILE_NOT_FOUND' : 'CONFIG_PARSE_FAILED',
      `${what} ${why}; give a regular file.`,
      { file },
      { cause: error },
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory()
        ? 'a directory'
        : stat.isFIFO()
          ? 'a FIFO'
          : stat.isCharacterDevice() || stat.isBlockDevice()
            ? 'a device'
            : stat.isSocket()
              ? 'a socket'
              : 'not a regular file';
      throw new ConfigError(
        'CONFIG_PARSE_FAILED',
        `${what} is ${kind}; give a regular file (at most ${mib(maxBytes)}).`,
        { file },
      );
    }
    if (stat.size > maxBytes)
      throw new ConfigError(
        'CONFIG_PARSE_FAILED',
        `${what} is ${mib(stat.size)}; a file here is at most ${mib(maxBytes)}.`,
        { file, value: stat.size },
      );
    // Read to the end, but never past the cap (a file that grows while read is cut off and refused).
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes)
      throw new ConfigError(
        'CONFIG_PARSE_FAILED',
        `${what} grew past ${mib(maxBytes)} while it was read; a file here is at most that.`,
        { file },
      );
    return stripBom(buffer.subarray(0, length).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Text without a leading UTF-8 byte-order mark (Windows editors write one; it would hide the first key). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  classifyRawError,
  EXIT_BAD_INPUT,
  EXIT_FAILURE,
  reportError,
  UsageError,
} from '../../../harness/cli/report-error.js';
import { BrokerError, ConfigError } from '../../../harness/errors.js';

// One place gives raw system and Kafka client errors words and an exit code (issue #22: EISDIR, EEXIST,
// ENAMETOOLONG, "Invalid groupId", "does not host this topic-partition" reached users bare, with exit 1).
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-report-error-'));
const thrown = (work: () => unknown): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

function stderrOf(work: () => number): { code: number; text: string } {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (chunks.push(String(chunk)), true));
  try {
    return { code: work(), text: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}
afterEach(() => vi.restoreAllMocks());

describe('classifyRawError: real system errors get what was done, the path, what it means and what to do', () => {
  it('EISDIR: writing a directory as a file names it; reading one (no path) keeps the system message', () => {
    const report = classifyRawError(thrown(() => writeFileSync(dir, 'x')));
    expect(report).toEqual({
      code: 'EISDIR',
      exit: EXIT_BAD_INPUT,
      message: `opening ${dir} failed: it is a directory, where a file is needed. Check the path you gave (an option, an environment variable or a configuration file) and pass another.`,
    });
    expect(classifyRawError(thrown(() => readFileSync(dir)))).toMatchObject({
      code: 'EISDIR',
      exit: 2,
      message: expect.stringMatching(/^reading a file \(EISDIR: illegal operation on a directory, read\) failed/),
    });
  });

  it('EEXIST: making a directory that exists; ENOTDIR: a path through a file; ENAMETOOLONG', () => {
    expect(classifyRawError(thrown(() => mkdirSync(dir)))).toMatchObject({
      code: 'EEXIST',
      exit: 2,
      message: `creating the directory ${dir} failed: it already exists. Check the path you gave (an option, an environment variable or a configuration file) and pass another.`,
    });
    const file = path.join(dir, 'f');
    writeFileSync(file, '');
    expect(classifyRawError(thrown(() => writeFileSync(path.join(file, 'x'), '')))).toMatchObject({
      code: 'ENOTDIR',
      exit: 2,
    });
    expect(classifyRawError(thrown(() => writeFileSync(path.join(dir, 'n'.repeat(300)), '')))).toMatchObject({
      code: 'ENAMETOOLONG',
      exit: 2,
      message: expect.stringContaining('a file name is at most 255 bytes'),
    });
  });

  it('finds the system error inside a wrapping error (its cause)', () => {
    const wrapped = new Error('writing the report failed', { cause: thrown(() => readFileSync(dir)) });
    expect(classifyRawError(wrapped)?.code).toBe('EISDIR');
  });

  it('kafkajs: an invalid group id and an unknown topic are bad input naming the input', () => {
    const groupError = Object.assign(new Error('Invalid groupId'), { name: 'KafkaJSNonRetriableError' });
    expect(classifyRawError(groupError)).toMatchObject({
      code: 'INVALID_GROUP_ID',
      exit: 2,
      message: expect.stringContaining('--group <id>'),
    });
    const topicError = Object.assign(new Error('This server does not host this topic-partition'), {
      name: 'KafkaJSProtocolError',
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
    expect(classifyRawError(new Error('outer', { cause: topicError }))).toMatchObject({
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
      exit: 2,
      message: expect.stringContaining('does not exist on the cluster'),
    });
  });

  it('a program that is not installed is a failure (1), not bad input', () => {
    const spawnError = Object.assign(new Error('spawn mvn ENOENT'), {
      code: 'ENOENT',
      syscall: 'spawn mvn',
      path: 'mvn',
    });
    expect(classifyRawError(spawnError)).toMatchObject({
      exit: EXIT_FAILURE,
      message: 'starting mvn failed: it is not installed or not on PATH. Install it, or put it on PATH.',
    });
  });

  it('anything else is not classified (reported as it is, exit 1)', () => {
    expect(classifyRawError(new Error('boom'))).toBeUndefined();
    expect(classifyRawError('text')).toBeUndefined();
  });
});

describe('reportError decides every exit code', () => {
  it.each([
    ['a usage error', new UsageError('bad flag'), 2],
    ['a ConfigError', new ConfigError('CONFIG_INVALID_VALUE', 'bad'), 2],
    ['a bad state file', new BrokerError('BROKER_STATE_INVALID', 'bad'), 2],
    ['a broker that failed', new BrokerError('BROKER_START_FAILED', 'failed'), 1],
    ['a raw EISDIR', thrown(() => readFileSync(dir)), 2],
    ['an unknown error', new Error('boom'), 1],
  ])('%s: exit %i, one readable line, no stack', (_name, error, exit) => {
    const { code, text } = stderrOf(() => reportError(error));
    expect(code).toBe(exit);
    expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(text.startsWith('error')).toBe(true);
  });
});

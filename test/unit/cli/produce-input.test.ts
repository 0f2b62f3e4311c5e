import { describe, expect, it, vi } from 'vitest';
import { buildTask, buildTaskResult } from '../../../fixtures/builders/index.js';
import { logLevelName, stderrLogSink } from '../../../harness/cli/log-level.js';
import {
  checkBuilt,
  checkTraceparent,
  parseHeaders,
  parseJsonInput,
  roleFor,
  validateMessages,
} from '../../../harness/cli/produce-input.js';
import { ConfigError } from '../../../harness/errors.js';
import { encodeMessage } from '../../../harness/protocol/index.js';

const caught = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected an error');
};

describe('produce input', () => {
  it('names a message by topic role or message type, any case', () => {
    expect(['tasks', 'TaskMessage', 'taskmessage', 'DLQ', 'StatusUpdateMessage'].map(roleFor)).toEqual([
      'tasks',
      'tasks',
      'tasks',
      'dlq',
      'status',
    ]);
    expect(roleFor('orders')).toBeUndefined();
  });

  it('reads one object, an array, or JSON lines', () => {
    expect(parseJsonInput('{"a":1}', '--value')).toEqual([{ a: 1 }]);
    expect(parseJsonInput(' [{"a":1},{"a":2}] ', 'f.json')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseJsonInput('{"a":1}\n\n{"a":2}\n', 'stdin')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('says which line is not JSON, or that the input is empty (bad input: ConfigError)', () => {
    const line = caught(() => parseJsonInput('{"a":1}\n{"a":', 'stdin'));
    expect(line).toBeInstanceOf(ConfigError);
    expect(line.message).toMatch(/^stdin line 2 is not JSON \(/);
    expect(line.details).toMatchObject({ key: 'stdin:2', value: '{"a":' });
    expect(caught(() => parseJsonInput('nope', '--value')).message).toMatch(
      /^--value is not JSON \(.*\): give a JSON object, an array of objects, or JSON lines\.$/,
    );
    expect(caught(() => parseJsonInput('  ', 'stdin')).message).toBe(
      'stdin is empty: give a JSON object, an array of objects, or JSON lines.',
    );
  });

  it('reads --header name=value pairs (a value may hold =)', () => {
    expect(parseHeaders(['x-origin=cli', 'x-q=a=b', 'x-empty='])).toEqual({
      'x-origin': 'cli',
      'x-q': 'a=b',
      'x-empty': '',
    });
    expect(caught(() => parseHeaders(['=v'])).message).toBe(
      '--header "=v" is not allowed: write name=value, e.g. --header x-origin=cli.',
    );
  });

  it('validates wire JSON (Java aliases too) and names the field, the source and the message', () => {
    const task = buildTask({}, { seed: 4 });
    const wire = encodeMessage('TaskMessage', task);
    expect(validateMessages('tasks', [wire], '--value')).toEqual([task]);
    const { token, ...javaNamed } = wire;
    expect(validateMessages('tasks', [{ ...javaNamed, executionToken: token }], '--value')[0]!.token).toBe(token);
    const bad = caught(() => validateMessages('tasks', [wire, { ...wire, attempt: 'two' }], 'tasks.json'));
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad.message).toMatch(/^tasks\.json message 2: TaskMessage at \$\.attempt: /);
    expect(bad.details).toMatchObject({ key: '$.attempt' });
  });

  it('checks a built message with overrides the way the protocol writes it', () => {
    const bad = caught(() => checkBuilt('tasks', buildTask({ attempt: -1 }), '--build with --value'));
    expect(bad.message).toBe('--build with --value: TaskMessage at $.attempt: must be ≥ 0 (got -1)');
  });
});

describe('--log-level', () => {
  it('defaults to nothing, warn with --verbose; an explicit level wins', () => {
    expect(logLevelName({})).toBe('nothing');
    expect(logLevelName({ verbose: true })).toBe('warn');
    expect(logLevelName({ verbose: true, logLevel: 'debug' })).toBe('debug');
  });

  it('writes one line per client log entry on stderr, its library, level, namespace and fields', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      stderrLogSink({
        level: 'warn',
        namespace: 'Connection',
        message: 'slow',
        fields: { timestamp: 't', logger: 'kafkajs', broker: 'b:1' },
      });
      expect(String(write.mock.calls[0]![0])).toBe('kafkajs WARN [Connection] slow {"broker":"b:1"}\n');
    } finally {
      write.mockRestore();
    }
  });
});

// Issue #22: `produce` changed what it sent without a word and exited 0. Now it refuses, naming the field.
describe('produce never changes a message silently', () => {
  const task = () =>
    JSON.parse(JSON.stringify(encodeMessage('TaskMessage', buildTask({}, { seed: 7 })))) as Record<string, unknown>;

  it('a valid wire message goes through unchanged, nothing dropped or added', () => {
    const added: string[] = [];
    const [message] = validateMessages('tasks', [task()], '--value', (_w, fields) => added.push(...fields));
    expect(encodeMessage('TaskMessage', message!)).toEqual(task());
    expect(added).toEqual([]);
  });

  it('an unknown field (top level or nested) is refused naming it, not dropped', () => {
    const error = caught(() => validateMessages('tasks', [{ ...task(), colour: 'red' }], '--value'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^--value: \$\.colour is not a field of TaskMessage; it would be dropped from what is sent\./,
    );
    expect(error.details).toMatchObject({ key: '$.colour' });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a %s key is refused naming its path', (key) => {
    const value = JSON.parse(`{"a":1,"${key}":{"polluted":true}}`) as object;
    const error = caught(() => validateMessages('tasks', [{ ...task(), context: value }], 'f.json'));
    expect(error.message).toBe(
      `f.json: the key $.context.${key} is not allowed (__proto__, constructor and prototype are never message fields).`,
    );
    const top = caught(() => validateMessages('tasks', [JSON.parse(`{"${key}":{}}`)], 'f.json', undefined));
    expect(top.message).toContain(`$.${key}`);
  });

  it('fields the protocol adds are told, not hidden', () => {
    // A successful result leaves `error` out; the protocol writes it as null.
    const input = JSON.parse(
      JSON.stringify(encodeMessage('TaskResultMessage', buildTaskResult({}, { seed: 7 }))),
    ) as Record<string, unknown>;
    expect(input.error).toBeNull();
    delete input.error;
    const told: string[] = [];
    validateMessages('results', [input], '--value', (where, fields) => told.push(`${where}: ${fields.join(',')}`));
    expect(told).toEqual(['--value: $.error']);
  });

  it('a Java alias is read as its field; given beside that field it is refused, not dropped', () => {
    const { token, ...rest } = task();
    expect(validateMessages('tasks', [{ ...rest, executionToken: token }], '--value')).toHaveLength(1);
    expect(
      caught(() => validateMessages('tasks', [{ ...rest, token, executionToken: 'other' }], '--value')).message,
    ).toBe(
      '--value: "executionToken" and "token" are the same field (executionToken is the Java name); give one of them.',
    );
  });

  it('reserved and repeated headers are refused, not dropped', () => {
    expect(caught(() => parseHeaders(['traceparent=00-x'])).message).toMatch(
      /^--header "traceparent" is not allowed: the protocol writes that header itself \(give --traceparent for the trace\)/,
    );
    expect(caught(() => parseHeaders(['Gamelan-Message-Type=X'])).message).toContain(
      'the protocol writes that header itself',
    );
    expect(caught(() => parseHeaders(['kafka_dlt-anything=1'])).message).toContain(
      'the protocol writes that header itself',
    );
    expect(caught(() => parseHeaders(['x-a=1', 'x-a=2'])).message).toBe(
      '--header "x-a" is given twice: give each header once.',
    );
  });

  it('an invalid --traceparent is refused, not replaced by a new one', () => {
    expect(() => checkTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).not.toThrow();
    expect(() => checkTraceparent(undefined)).not.toThrow();
    for (const bad of [
      'nope',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
    ]) {
      expect(caught(() => checkTraceparent(bad))).toMatchObject({
        code: 'CONFIG_INVALID_VALUE',
        message: expect.stringContaining(`--traceparent ${JSON.stringify(bad)} is not a W3C traceparent`),
      });
    }
  });
});

describe('produce --build --value never drops an override silently', () => {
  it('a field the protocol writes is applied; an unknown one is refused naming it', () => {
    const built = buildTask({ runId: 'run-1' } as never, { seed: 3 });
    expect(checkBuilt('tasks', built, '--build with --value', { runId: 'run-1' })).toBe(built);
    const unknown = buildTask({ colour: 'red' } as never, { seed: 3 });
    expect(caught(() => checkBuilt('tasks', unknown, '--build with --value', { colour: 'red' })).message).toMatch(
      /^--build with --value: \$\.colour is not a field of TaskMessage; it would be dropped/,
    );
  });
});

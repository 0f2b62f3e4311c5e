import { describe, expect, it } from 'vitest';
import { buildTask } from '../../../fixtures/builders/index.js';
import { kafkaLogLevel, logLevelName } from '../../../harness/cli/log-level.js';
import { checkBuilt, parseHeaders, parseJsonInput, roleFor, validateMessages } from '../../../harness/cli/produce-input.js';
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
    expect(['tasks', 'TaskMessage', 'taskmessage', 'DLQ', 'StatusUpdateMessage'].map(roleFor)).toEqual(['tasks', 'tasks', 'tasks', 'dlq', 'status']);
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
    expect(caught(() => parseJsonInput('nope', '--value')).message).toMatch(/^--value is not JSON \(.*\): give a JSON object, an array of objects, or JSON lines\.$/);
    expect(caught(() => parseJsonInput('  ', 'stdin')).message).toBe('stdin is empty: give a JSON object, an array of objects, or JSON lines.');
  });

  it('reads --header name=value pairs (a value may hold =)', () => {
    expect(parseHeaders(['x-origin=cli', 'x-q=a=b', 'x-empty='])).toEqual({ 'x-origin': 'cli', 'x-q': 'a=b', 'x-empty': '' });
    expect(caught(() => parseHeaders(['=v'])).message).toBe('--header "=v" is not allowed: write name=value, e.g. --header x-origin=cli.');
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
  const levels = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;
  it('defaults to nothing, warn with --verbose; an explicit level wins', () => {
    expect(logLevelName({})).toBe('nothing');
    expect(logLevelName({ verbose: true })).toBe('warn');
    expect(logLevelName({ verbose: true, logLevel: 'debug' })).toBe('debug');
    expect(kafkaLogLevel('info', levels as never)).toBe(4);
  });
});

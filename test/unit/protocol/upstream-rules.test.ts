import { describe, expect, it } from 'vitest';
import { buildTask } from '../../../fixtures/builders/index.js';
import { decodeRecordIn, encodeRecordIn, upstreamDialect } from '../../../harness/protocol/index.js';
import {
  DISPATCHER_IDENTIFIER_PATTERN,
  DISPATCHER_MAX_MESSAGE_BYTES,
  DISPATCHER_TOKEN_PATTERN,
} from '../../../harness/protocol/dialects/upstream/messages.js';
import { ProtocolError } from '../../../harness/errors.js';

// The upstream dialect's rules from the Java code (shared/upstream/gamelan-java-kafka.md): the engine dispatcher's
// identifier and token patterns and its 1 MiB limit on tasks, and what KafkaEventPublisher writes as tenantId and
// eventData.
const json = (v: unknown) => JSON.stringify(v);
const task = (overrides: Record<string, unknown> = {}) => ({
  taskId: 'run-1:charge:1',
  runId: 'run-1',
  nodeId: 'charge',
  attempt: 1,
  executionToken: 'tok-7f3a9c1e2b4d',
  context: {},
  targetExecutor: 'payments-1',
  scheduledAt: '2024-05-01T10:15:30Z',
  ...overrides,
});
const checkTask = (value: unknown) => upstreamDialect.check('tasks', { key: 'run-1', value: json(value) });

describe("the engine dispatcher's identifiers and tokens", () => {
  it.each(['run-1', 'RUN_2', 'a', 'x'.repeat(255), '0f3e6c2a-1b2c-4d5e-8f90-123456789abc'])(
    'identifier %s is accepted',
    (id) => {
      expect(DISPATCHER_IDENTIFIER_PATTERN.test(id)).toBe(true);
      expect(upstreamDialect.check('tasks', { key: id, value: json(task({ runId: id, taskId: undefined })) })).toEqual(
        [],
      );
    },
  );

  it.each([
    ['runId', 'run 1', 'field.format'],
    ['runId', 'run:1', 'field.format'],
    ['runId', 'rün-1', 'field.format'],
    ['runId', 'r'.repeat(256), 'field.range'],
    ['nodeId', 'charge.card', 'field.format'],
    ['nodeId', '', 'field.range'],
    ['targetExecutor', 'payments@host', 'field.format'],
    ['targetExecutor', 'payments/1', 'field.format'],
  ])('%s %j is refused (%s)', (field, value, rule) => {
    const overrides: Record<string, unknown> = { [field]: value };
    if (field !== 'targetExecutor')
      overrides.taskId = `${field === 'runId' ? value : 'run-1'}:${field === 'nodeId' ? value : 'charge'}:1`;
    const deviations = checkTask(task(overrides));
    expect(deviations).toContainEqual(expect.objectContaining({ rule, field: `$.${field}` }));
    if (rule === 'field.format')
      expect(deviations.find((d) => d.field === `$.${field}`)!.message).toContain('^[a-zA-Z0-9_-]+$');
  });

  it.each(['tok-7f3a9c1e2b4d', 'abc+/=-_:.0123', 'eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl', 'x'.repeat(512)])(
    'token %s is accepted',
    (token) => {
      expect(DISPATCHER_TOKEN_PATTERN.test(token)).toBe(true);
      expect(checkTask(task({ executionToken: token }))).toEqual([]);
    },
  );

  it.each([
    ['tok 7f3a9c1e2b', 'field.format'],
    ['tok-7f3a9c1e!2b', 'field.format'],
    ['tok-7f3a9c1e\n2b', 'field.format'],
    ['short', 'field.range'],
    ['x'.repeat(513), 'field.range'],
  ])('token %j is refused (%s)', (token, rule) => {
    const deviations = checkTask(task({ executionToken: token }));
    expect(deviations).toContainEqual(expect.objectContaining({ rule, field: '$.executionToken' }));
  });

  it('a task the dispatcher would refuse is not read: the executors treat it as a poison record', () => {
    const decoded = decodeRecordIn('upstream', 'tasks', {
      key: 'run 1',
      value: json(task({ runId: 'run 1', taskId: 'run 1:charge:1' })),
    });
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.failure.code).toBe('MESSAGE_INVALID');
      expect(decoded.failure.path).toBe('$.runId');
      expect(decoded.failure.reason).toMatch(/\^\[a-zA-Z0-9_-\]\+\$.*engine dispatcher/);
    }
  });

  it('the fake engine does not write a task the dispatcher would refuse', () => {
    const bad = { ...buildTask({}, { seed: 1 }), runId: 'run 1', taskId: 'run 1:n:1', nodeId: 'n', attempt: 1 };
    expect(() => encodeRecordIn('upstream', 'tasks', bad)).toThrow(ProtocolError);
    expect(() => encodeRecordIn('upstream', 'tasks', bad)).toThrow(/\$\.runId.*\^\[a-zA-Z0-9_-\]\+\$/);
    const badToken = { ...buildTask({}, { seed: 1 }), token: 'has spaces in it' };
    expect(() => encodeRecordIn('upstream', 'tasks', badToken)).toThrow(/executionToken/);
  });

  it('results and the spec dialect keep their own rules (the dispatcher checks the tasks it sends)', () => {
    const result = {
      runId: 'run:1',
      nodeId: 'n.1',
      attempt: 1,
      status: 'COMPLETED',
      executionToken: 'tok 7f3a9c1e2b',
      completedAt: '2024-05-01T10:15:30Z',
    };
    expect(upstreamDialect.check('results', { key: 'run:1', value: json(result) })).toEqual([]);
    const spec = { ...buildTask({}, { seed: 2 }), runId: 'run:1', taskId: 'run:1:n:1', nodeId: 'n', attempt: 1 };
    expect(() => encodeRecordIn('spec', 'tasks', spec)).not.toThrow();
  });
});

describe("the dispatcher's 1 MiB limit", () => {
  const sized = (bytes: number) => {
    const empty = Buffer.byteLength(json(task({ context: { pad: '' } })));
    return json(task({ context: { pad: 'x'.repeat(bytes - empty) } }));
  };

  it('a task of exactly 1,048,576 bytes is read; one byte more is value.too-large, naming the size and the limit', () => {
    expect(DISPATCHER_MAX_MESSAGE_BYTES).toBe(1_048_576);
    const atLimit = sized(DISPATCHER_MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(atLimit)).toBe(DISPATCHER_MAX_MESSAGE_BYTES);
    expect(upstreamDialect.check('tasks', { key: 'run-1', value: atLimit })).toEqual([]);
    const over = sized(DISPATCHER_MAX_MESSAGE_BYTES + 1);
    expect(upstreamDialect.check('tasks', { key: 'run-1', value: Buffer.from(over) })).toEqual([
      {
        rule: 'value.too-large',
        field: 'value',
        message:
          'value is 1048577 bytes; a TaskMessage may be at most 1048576 bytes (the engine dispatcher (KafkaTaskDispatcher) refuses a larger one)',
      },
    ]);
    const decoded = decodeRecordIn('upstream', 'tasks', { key: 'run-1', value: over });
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.failure.code).toBe('MESSAGE_INVALID');
  });

  it('counts UTF-8 bytes, not characters', () => {
    const empty = Buffer.byteLength(json(task({ context: { pad: '' } })));
    const chars = Math.ceil((DISPATCHER_MAX_MESSAGE_BYTES - empty) / 2) + 1; // 'é' is two bytes
    const value = json(task({ context: { pad: 'é'.repeat(chars) } }));
    expect(value.length).toBeLessThan(DISPATCHER_MAX_MESSAGE_BYTES);
    expect(upstreamDialect.check('tasks', { key: 'run-1', value })).toContainEqual(
      expect.objectContaining({ rule: 'value.too-large' }),
    );
  });

  it('the fake engine refuses to write a task over the limit, with a typed error', () => {
    const big = { ...buildTask({}, { seed: 3 }), context: { pad: 'x'.repeat(DISPATCHER_MAX_MESSAGE_BYTES) } };
    let error: unknown;
    try {
      encodeRecordIn('upstream', 'tasks', big);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'MESSAGE_INVALID', details: { path: 'value' } });
    expect((error as Error).message).toMatch(/at most 1048576 bytes .*not sent/);
  });

  it('other upstream messages and the spec dialect have no such limit', () => {
    const big = { ...buildTask({}, { seed: 3 }), context: { pad: 'x'.repeat(DISPATCHER_MAX_MESSAGE_BYTES) } };
    expect(() => encodeRecordIn('spec', 'tasks', big)).not.toThrow();
    const result = {
      runId: 'run-1',
      nodeId: 'n',
      attempt: 1,
      status: 'COMPLETED',
      executionToken: 'tok-7f3a9c1e2b4d',
      output: { pad: 'x'.repeat(DISPATCHER_MAX_MESSAGE_BYTES) },
    };
    expect(upstreamDialect.check('results', { key: 'run-1', value: json(result) })).toEqual([]);
  });
});

describe('events as KafkaEventPublisher writes them', () => {
  const at = '2024-05-01T10:15:30Z';
  const event = (type: string, overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
    eventId: 'e1',
    runId: 'run-1',
    tenantId: type === 'WorkflowStarted' ? 'acme' : 'system',
    eventType: type,
    occurredAt: at,
    eventData: { eventType: type, eventId: 'e1', runId: 'run-1', occurredAt: at, ...data },
    ...overrides,
  });
  const check = (value: unknown) => upstreamDialect.check('events', { key: null, value: json(value) });

  it.each([
    ['WorkflowStarted', {}],
    ['NodeStarted', {}],
    ['RetryScheduled', {}],
    ['NodeCompleted', { nodeId: 'n', attempt: 1, output: { ok: true } }],
    ['NodeCompleted', { nodeId: 'n', attempt: 1, output: null }],
    ['NodeFailed', { nodeId: 'n', attempt: 2, error: { code: 'E', message: null } }],
    ['WorkflowCompleted', { data: 'a non-map payload, wrapped' }],
  ])('%s with %o conforms', (type, data) => {
    expect(check(event(type, {}, data))).toEqual([]);
  });

  it('the echo of occurredAt is compared as an instant (any offset) but must be ISO text', () => {
    expect(check(event('NodeStarted', {}, { occurredAt: '2024-05-01T12:15:30+02:00' }))).toEqual([]);
    expect(check(event('NodeStarted', {}, { occurredAt: 1714558530 }))).toEqual([
      expect.objectContaining({
        rule: 'field.event-data',
        field: '$.eventData.occurredAt',
        message: expect.stringMatching(/as ISO text \(got number 1714558530\)/),
      }),
    ]);
  });

  it.each([
    [
      'a tenant on a NodeCompleted event',
      event('NodeStarted', { tenantId: 'acme' }),
      'field.tenant-id',
      '$.tenantId',
      /must be "system" on a NodeStarted event \(got string "acme"\)/,
    ],
    [
      'no tenant on a NodeStarted event',
      event('NodeStarted', { tenantId: null }),
      'field.tenant-id',
      '$.tenantId',
      /must be "system"/,
    ],
    [
      'no tenant on WorkflowStarted',
      event('WorkflowStarted', { tenantId: null }),
      'field.tenant-id',
      '$.tenantId',
      /missing; KafkaEventPublisher writes the run's tenant on WorkflowStarted/,
    ],
    [
      'no eventData',
      event('NodeStarted', { eventData: null }),
      'field.event-data',
      '$.eventData',
      /always writes \{eventType, eventId, runId, occurredAt\}/,
    ],
    [
      'eventData without the echo',
      event('NodeStarted', { eventData: { nodeId: 'n' } }),
      'field.event-data',
      '$.eventData.runId',
      /missing; eventData echoes \$\.runId "run-1"/,
    ],
    [
      'eventData naming another run',
      event('NodeStarted', {}, { runId: 'run-2' }),
      'field.event-data',
      '$.eventData.runId',
      /must echo \$\.runId "run-1"/,
    ],
    [
      'NodeCompleted without output',
      event('NodeCompleted', {}, { nodeId: 'n', attempt: 1 }),
      'field.event-data',
      '$.eventData.output',
      /NodeCompleted event's eventData has nodeId, attempt, output/,
    ],
    [
      'NodeCompleted with a text attempt',
      event('NodeCompleted', {}, { nodeId: 'n', attempt: '1', output: {} }),
      'field.event-data',
      '$.eventData.attempt',
      /expected an integer/,
    ],
    [
      'NodeFailed with an error string',
      event('NodeFailed', {}, { nodeId: 'n', attempt: 1, error: 'boom' }),
      'field.event-data',
      '$.eventData.error',
      /expected \{code, message\}/,
    ],
    [
      'NodeFailed with an error without code',
      event('NodeFailed', {}, { nodeId: 'n', attempt: 1, error: { message: 'm' } }),
      'field.event-data',
      '$.eventData.error.code',
      /expected a string/,
    ],
  ])('%s is reported', (_what, value, rule, field, message) => {
    expect(check(value)).toContainEqual(
      expect.objectContaining({ rule, field, message: expect.stringMatching(message) }),
    );
  });

  it('such an event is still read (a Java consumer reads it) and the deviation travels with it', () => {
    const read = upstreamDialect.read('events', { key: null, value: json(event('NodeStarted', { tenantId: 'acme' })) });
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.record.message.tenantId).toBe('acme');
      expect(read.record.deviations).toContainEqual(expect.objectContaining({ rule: 'field.tenant-id' }));
    }
  });

  it('read: "system" is no tenant, the echo is not payload; WorkflowStarted keeps its tenant', () => {
    const read = upstreamDialect.read('events', {
      key: null,
      value: json(event('NodeCompleted', {}, { nodeId: 'n', attempt: 1, output: { x: 1 } })),
    });
    expect(read.ok && read.record.message).toMatchObject({
      tenantId: undefined,
      eventType: 'NODE_COMPLETED',
      payload: { nodeId: 'n', attempt: 1, output: { x: 1 } },
    });
    expect(read.ok && Object.keys(read.record.message.payload!)).toEqual(['nodeId', 'attempt', 'output']);
    const started = upstreamDialect.read('events', { key: null, value: json(event('WorkflowStarted')) });
    expect(started.ok && started.record.message).toMatchObject({
      tenantId: 'acme',
      eventType: 'RUN_STARTED',
      payload: {},
    });
  });
});

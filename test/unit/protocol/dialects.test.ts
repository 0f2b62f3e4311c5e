import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildStatusUpdate, buildTask, buildTaskResult, buildWorkflowEvent } from '../../../fixtures/builders/index.js';
import {
  DLT_HEADERS,
  EVENT_TYPE_PAIRS,
  SMALLRYE_DLQ_HEADERS,
  UNKNOWN_TENANT,
  type DialectReadResult,
  type DialectRecord,
  type MappingNote,
  decodeRecord,
  deadLetterRecord,
  detectDialect,
  encodeRecord,
  readRecordIn,
  specDialect,
  upstreamDialect,
} from '../../../harness/protocol/index.js';
import { ProtocolError } from '../../../harness/errors.js';
import type { TopicRole } from '../../../harness/vocabulary.js';

const TOKEN = 'tok-7f3a9c1e2b4d';
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const upstreamResult = {
  runId: 'run-1',
  nodeId: 'charge',
  attempt: 2,
  status: 'COMPLETED',
  output: { tx: 'a' },
  error: null,
  executionToken: TOKEN,
  completedAt: '2024-05-01T10:15:31Z',
};
const ok = <R extends TopicRole>(r: DialectReadResult<R>): DialectRecord<R> => {
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.record;
};

describe('the spec dialect is the README behaviour, unchanged', () => {
  it('reads exactly what decodeRecord reads, and writes what encodeRecord writes', () => {
    const task = buildTask({}, { seed: 3 });
    const record = encodeRecord('tasks', task, {
      traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
    });
    const read = ok(specDialect.read('tasks', record));
    const decoded = decodeRecord('tasks', record);
    expect(decoded.ok && read.message).toEqual(decoded.ok && decoded.message.message);
    expect(read).toMatchObject({ dialect: 'spec', mapped: [], deviations: [] });
    expect(
      specDialect.encode('tasks', task, { traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01' })
        .record,
    ).toEqual(record);
  });

  it('rejects a wrong key as decodeRecord does (a poison record)', () => {
    const task = buildTask({}, { seed: 4 });
    const read = specDialect.read('tasks', { key: 'other', value: json(task) });
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reasons.spec).toContainEqual(
      expect.objectContaining({ rule: 'key.mismatch', field: 'key' }),
    );
    expect(decodeRecord('tasks', { key: 'other', value: json(task) }).ok).toBe(false);
  });

  it('reads upstream names (as before) but check() reports each as a field.name deviation', () => {
    const { token, ...rest } = buildTask({}, { seed: 5 });
    const record = { key: rest.runId, value: json({ ...rest, executionToken: token }) };
    const read = ok(specDialect.read('tasks', record));
    expect(read.message.token).toBe(token);
    expect(read.mapped).toContainEqual(expect.objectContaining({ field: 'executionToken', to: 'token' }));
    expect(specDialect.check('tasks', record)).toEqual([
      expect.objectContaining({ rule: 'field.name', field: '$.executionToken' }),
    ]);
  });

  it('keeps the upstream-only fields event tenantId and status message, and writes them only when set', () => {
    const event = { ...buildWorkflowEvent({}, { seed: 6 }), tenantId: 'acme' };
    expect(ok(specDialect.read('events', encodeRecord('events', event))).message.tenantId).toBe('acme');
    const plain = buildWorkflowEvent({}, { seed: 6 });
    expect(JSON.parse(encodeRecord('events', plain).value!.toString())).not.toHaveProperty('tenantId');
    const status = { ...buildStatusUpdate({}, { seed: 7 }), message: 'node charge started' };
    expect(ok(specDialect.read('status', encodeRecord('status', status))).message.message).toBe('node charge started');
    expect(JSON.parse(encodeRecord('status', buildStatusUpdate({}, { seed: 7 })).value!.toString())).not.toHaveProperty(
      'message',
    );
  });
});

describe('the upstream dialect', () => {
  it('reads a Java result: COMPLETED is SUCCESS, executionToken is token, taskId derived — each mapping noted', () => {
    const read = ok(upstreamDialect.read('results', { key: 'run-1', value: json(upstreamResult) }));
    expect(read.message).toMatchObject({ taskId: 'run-1:charge:2', token: TOKEN, status: 'SUCCESS' });
    expect(read.mapped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'status', from: 'COMPLETED', to: 'SUCCESS', lossy: false }),
        expect.objectContaining({ field: 'taskId', to: 'run-1:charge:2' }),
        expect.objectContaining({ field: 'executionToken', to: 'token' }),
      ]),
    );
  });

  it('reads SUCCESS (valid upstream, but the engine fails the node) as FAILURE, noted as lossy', () => {
    const read = ok(
      upstreamDialect.read('results', { key: 'run-1', value: json({ ...upstreamResult, status: 'SUCCESS' }) }),
    );
    expect(read.message.status).toBe('FAILURE');
    expect(read.mapped).toContainEqual(
      expect.objectContaining({
        field: 'status',
        from: 'SUCCESS',
        lossy: true,
        note: expect.stringMatching(/only COMPLETED/),
      }),
    );
  });

  it('rejects a README result, naming status and the token field', () => {
    const readme = buildTaskResult({ status: 'FAILURE' }, { seed: 8 });
    const read = upstreamDialect.read('results', { key: readme.runId, value: json(readme) });
    expect(read.ok).toBe(false);
    const fields = !read.ok ? read.reasons.upstream!.map((d) => `${d.rule} ${d.field}`) : [];
    expect(fields).toEqual(expect.arrayContaining(['field.enum $.status', 'field.required $.executionToken']));
  });

  it('reads unkeyed events; a keyed topic without a key is a deviation that does not stop reading', () => {
    const occurredAt = '2024-05-01T10:15:30Z';
    const event = {
      eventId: 'e1',
      runId: 'run-1',
      tenantId: 'system',
      eventType: 'NodeStarted',
      occurredAt,
      eventData: { eventType: 'NodeStarted', eventId: 'e1', runId: 'run-1', occurredAt },
    };
    expect(ok(upstreamDialect.read('events', { key: null, value: json(event) })).deviations).toEqual([]);
    const unkeyed = ok(upstreamDialect.read('results', { key: null, value: json(upstreamResult) }));
    expect(unkeyed.deviations).toEqual([expect.objectContaining({ rule: 'key.missing', field: 'key' })]);
  });

  it('writes a canonical result the way the engine reads it: keyed by runId, COMPLETED, executionToken, no taskId', () => {
    const result = buildTaskResult({}, { seed: 9 });
    const { record, mapped } = upstreamDialect.encode('results', result);
    const wire = JSON.parse(record.value!.toString()) as Record<string, unknown>;
    expect(record.key).toBe(result.runId);
    expect(wire).toMatchObject({ status: 'COMPLETED', executionToken: result.token });
    expect(wire).not.toHaveProperty('taskId');
    expect(wire).not.toHaveProperty('token');
    expect(Object.keys(record.headers)).toEqual(['traceparent']);
    expect(mapped).toContainEqual(expect.objectContaining({ field: 'executionTime', lossy: true }));
  });

  it('writes events unkeyed, status keyed by runId; refuses what upstream cannot say', () => {
    expect(
      upstreamDialect.encode('events', buildWorkflowEvent({ eventType: 'NODE_STARTED' }, { seed: 1 })).record.key,
    ).toBeNull();
    const status = buildStatusUpdate({ status: 'RUNNING' }, { seed: 1 });
    expect(upstreamDialect.encode('status', status).record.key).toBe(status.runId);
    expect(() =>
      upstreamDialect.encode('events', buildWorkflowEvent({ eventType: 'SOMETHING_ELSE' }, { seed: 1 })),
    ).toThrow(ProtocolError);
    expect(() => upstreamDialect.encode('status', buildStatusUpdate({ status: 'DONE' }, { seed: 1 }))).toThrow(
      /RunStatus/,
    );
  });
});

describe('auto detection says which dialect, or neither with reasons', () => {
  it('spec, upstream, neither', () => {
    const task = buildTask({}, { seed: 10 });
    expect(detectDialect('tasks', encodeRecord('tasks', task)).dialect).toBe('spec');
    expect(detectDialect('results', { key: 'run-1', value: json(upstreamResult) }).dialect).toBe('upstream');
    const neither = detectDialect('results', { key: 'run-1', value: json({ runId: 'run-1', status: 'DONE' }) });
    expect(neither.dialect).toBe('neither');
    expect(neither.deviations.spec.length).toBeGreaterThan(0);
    expect(neither.deviations.upstream.length).toBeGreaterThan(0);
  });

  it('readRecordIn(auto) labels the record and keeps its mapping notes', () => {
    expect(ok(readRecordIn('results', { key: 'run-1', value: json(upstreamResult) }, 'auto')).dialect).toBe('upstream');
    const failed = readRecordIn('results', { key: 'run-1', value: Buffer.from('not json') }, 'auto');
    expect(failed).toMatchObject({ ok: false, dialect: 'neither' });
    expect(!failed.ok && Object.keys(failed.reasons)).toEqual(['spec', 'upstream']);
  });
});

describe('dead letters in three forms', () => {
  const original = {
    topic: 'workflow-results',
    partition: 2,
    offset: 41,
    timestamp: 1_714_558_530_000,
    key: 'run-1',
    value: Buffer.from('{"bad":true}'),
  };

  it('Spring kafka_dlt-* headers (spec)', () => {
    const dead = deadLetterRecord(original, {
      reason: 'MESSAGE_INVALID',
      errorClass: 'ProtocolError',
      message: 'boom',
    });
    const read = ok(readRecordIn('dlq', { ...dead, timestamp: '1714558531000' }, 'auto'));
    expect(read.dialect).toBe('spec');
    expect(read.message).toMatchObject({
      originalTopic: 'workflow-results',
      originalPartition: 2,
      originalOffset: 41,
      reason: 'MESSAGE_INVALID',
    });
    expect(dead.headers[DLT_HEADERS.originalTopic]).toBe('workflow-results');
  });

  it('SmallRye dead-letter-* headers (upstream), numbers as text', () => {
    const headers = {
      [SMALLRYE_DLQ_HEADERS.topic]: 'workflow-results',
      [SMALLRYE_DLQ_HEADERS.partition]: '2',
      [SMALLRYE_DLQ_HEADERS.offset]: '41',
      [SMALLRYE_DLQ_HEADERS.reason]: 'No enum constant FAILURE',
      [SMALLRYE_DLQ_HEADERS.cause]: 'IllegalArgumentException',
    };
    const read = ok(
      readRecordIn('dlq', { key: 'run-1', value: original.value, headers, timestamp: '1714558531000' }, 'auto'),
    );
    expect(read.dialect).toBe('upstream');
    expect(read.message).toMatchObject({
      originalTopic: 'workflow-results',
      originalPartition: 2,
      originalOffset: 41,
      originalKey: 'run-1',
      payload: '{"bad":true}',
    });
    expect(read.message.cause).toContain('No enum constant FAILURE');
    expect(readRecordIn('dlq', { key: 'run-1', value: original.value, headers }, 'spec').ok).toBe(false);
  });

  it('each dialect writes its own dead letter and reads it back', () => {
    const cause = { reason: 'HANDLER_FAILED', errorClass: 'Error', message: 'gateway 503' };
    const upstream = upstreamDialect.deadLetter(original, cause, new Date('2024-05-01T10:15:33Z'));
    expect(upstream.key).toBeNull();
    expect(JSON.parse(upstream.value!.toString())).toEqual({
      originalTopic: 'workflow-results',
      originalKey: 'run-1',
      originalValue: '{"bad":true}',
      errorMessage: 'gateway 503',
      timestamp: '2024-05-01T10:15:33Z',
    });
    expect(ok(upstreamDialect.readDeadLetter(upstream)).message).toMatchObject({
      originalTopic: 'workflow-results',
      originalKey: 'run-1',
      cause: 'gateway 503',
    });
    const spec = specDialect.deadLetter(original, cause);
    expect(ok(specDialect.readDeadLetter({ ...spec, timestamp: '1714558531000' })).message).toMatchObject({
      originalOffset: 41,
      reason: 'HANDLER_FAILED',
      cause: 'gateway 503',
    });
  });

  it('the Java DeadLetterMessage JSON (upstream)', () => {
    const value = json({
      originalTopic: 'workflow-results',
      originalKey: 'run-1',
      originalValue: 'TaskResultMessage[…]',
      errorMessage: 'boom',
      timestamp: '2024-05-01T10:15:33Z',
    });
    const read = ok(readRecordIn('dlq', { key: null, value }, 'auto'));
    expect(read.dialect).toBe('upstream');
    expect(read.message).toMatchObject({
      originalTopic: 'workflow-results',
      originalKey: 'run-1',
      cause: 'boom',
      payload: 'TaskResultMessage[…]',
      failedAt: '2024-05-01T10:15:33Z',
    });
    expect(read.mapped).toContainEqual(expect.objectContaining({ field: 'originalValue', lossy: true }));
  });
});

// Property tests: canonical → upstream wire → canonical gives the message back whenever no note says lossy,
// and every lossy case says so.
const lossless = (notes: readonly MappingNote[]) => notes.every((n) => !n.lossy);
const seed = fc.integer({ min: 1, max: 1_000_000 });

describe('mapping properties', () => {
  it('tasks round-trip losslessly', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const task = buildTask({}, { seed: s });
        const { wire, mapped } = upstreamDialect.toWire('tasks', task);
        expect(lossless(mapped)).toBe(true);
        expect(upstreamDialect.fromWire('tasks', JSON.parse(JSON.stringify(wire))).message).toEqual(task);
      }),
      { numRuns: 60 },
    );
  });

  it('results: SUCCESS/FAILURE without spec-only fields round-trip; TIMEOUT, executionTime, executorId and nested context are noted as lossy', () => {
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom('SUCCESS', 'FAILURE', 'TIMEOUT') as fc.Arbitrary<'SUCCESS' | 'FAILURE' | 'TIMEOUT'>,
        fc.boolean(),
        fc.boolean(),
        (s, status, keepSpecOnly, nested) => {
          const base = buildTaskResult({ status }, { seed: s });
          const result = {
            ...base,
            executionTime: keepSpecOnly ? base.executionTime : undefined,
            executorId: keepSpecOnly ? base.executorId : undefined,
            error: base.error && nested ? { ...base.error, context: { issuer: { bank: 'x' } } } : base.error,
          };
          const { wire, mapped } = upstreamDialect.toWire('results', result);
          const back = upstreamDialect.fromWire('results', JSON.parse(JSON.stringify(wire)));
          const expectedLossy = status === 'TIMEOUT' || keepSpecOnly || (nested && result.error !== undefined);
          expect(lossless(mapped)).toBe(!expectedLossy);
          if (!expectedLossy) expect(back.message).toEqual(result);
          expect(back.message.status).toBe(status === 'SUCCESS' ? 'SUCCESS' : 'FAILURE');
        },
      ),
      { numRuns: 80 },
    );
  });

  it('results read from upstream round-trip when the status is COMPLETED or FAILED, and are noted lossy otherwise', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...upstreamDialect.resultStatuses),
        fc.string({ minLength: 1, maxLength: 20 }),
        (status, code) => {
          const wire = { ...upstreamResult, status, error: { code, message: 'm' } };
          const read = upstreamDialect.fromWire('results', wire);
          const again = upstreamDialect.toWire('results', read.message).wire;
          const statusKept = status === 'COMPLETED' || status === 'FAILED';
          expect(lossless(read.mapped)).toBe(statusKept);
          if (statusKept) expect(again).toEqual(wire);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('events as KafkaEventPublisher writes them round-trip both ways; another tenant, a missing output or error, README-only types are noted lossy', () => {
    // What the publisher writes: the tenant on WorkflowStarted only, eventData {nodeId, attempt, output} on
    // NodeCompleted and {nodeId, attempt, error} on NodeFailed (plus the echo, which is not payload).
    const payloadFor = (upstreamType: string, note: string): Record<string, unknown> =>
      upstreamType === 'NodeCompleted'
        ? { nodeId: 'charge', attempt: 1, output: { note } }
        : upstreamType === 'NodeFailed'
          ? { nodeId: 'charge', attempt: 2, error: { code: 'E', message: note } }
          : { note };
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom(...EVENT_TYPE_PAIRS),
        fc.constantFrom('acme', 'globex'),
        (s, [specType, upstreamType], tenant) => {
          const built = buildWorkflowEvent({ eventType: specType }, { seed: s });
          const event = {
            ...built,
            actorId: undefined,
            tenantId: upstreamType === 'WorkflowStarted' ? tenant : undefined,
            payload: payloadFor(upstreamType, String(s)),
          };
          const { wire, mapped } = upstreamDialect.toWire('events', event);
          expect(wire.eventType).toBe(upstreamType);
          expect(wire.tenantId).toBe(upstreamType === 'WorkflowStarted' ? tenant : 'system');
          expect(wire.eventData).toMatchObject({ eventType: upstreamType, eventId: event.eventId, runId: event.runId });
          expect(lossless(mapped)).toBe(true);
          const again = JSON.parse(JSON.stringify(wire)) as Record<string, unknown>;
          expect(upstreamDialect.check('events', { key: null, value: JSON.stringify(again) })).toEqual([]);
          expect(upstreamDialect.fromWire('events', again).message).toEqual(event);
          if (upstreamType !== 'WorkflowStarted') {
            const other = upstreamDialect.toWire('events', { ...event, tenantId: tenant });
            expect(other.wire.tenantId).toBe('system');
            expect(other.mapped).toContainEqual(
              expect.objectContaining({ field: 'tenantId', from: tenant, to: 'system', lossy: true }),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
    const created = upstreamDialect.toWire('events', {
      ...buildWorkflowEvent({ eventType: 'RUN_CREATED', payload: { tenantId: 'acme' } }, { seed: 1 }),
      actorId: undefined,
    });
    expect(created.wire).toMatchObject({ eventType: 'WorkflowStarted', tenantId: 'acme' });
    expect(created.mapped).toContainEqual(expect.objectContaining({ field: 'eventType', lossy: true }));
    const completed = upstreamDialect.toWire('events', {
      ...buildWorkflowEvent({ eventType: 'NODE_COMPLETED', payload: { nodeId: 'n', attempt: 1 } }, { seed: 2 }),
      actorId: undefined,
    });
    expect(completed.wire.eventData).toMatchObject({ nodeId: 'n', attempt: 1, output: null });
    expect(completed.mapped).toContainEqual(expect.objectContaining({ field: 'payload.output', lossy: true }));
    const failed = upstreamDialect.toWire('events', {
      ...buildWorkflowEvent(
        { eventType: 'NODE_FAILED', payload: { nodeId: 'n', attempt: 1, status: 'TIMEOUT', reason: 'late' } },
        { seed: 3 },
      ),
      actorId: undefined,
    });
    expect(failed.wire.eventData).toMatchObject({ error: { code: 'TIMEOUT', message: 'late' } });
  });

  it('events the publisher cannot have written are refused with the field and the fix', () => {
    const noTenant = {
      ...buildWorkflowEvent({ eventType: 'RUN_STARTED', payload: {} }, { seed: 4 }),
      actorId: undefined,
      tenantId: undefined,
    };
    expect(() => upstreamDialect.toWire('events', noTenant)).toThrow(
      expect.objectContaining({ code: 'MESSAGE_INVALID', details: { path: '$.tenantId', value: undefined } }),
    );
    expect(() => upstreamDialect.toWire('events', noTenant)).toThrow(
      /WorkflowStarted event carries the run's tenant.*set tenantId/,
    );
    const noNode = {
      ...buildWorkflowEvent({ eventType: 'NODE_COMPLETED', payload: { attempt: 1 } }, { seed: 5 }),
      actorId: undefined,
    };
    expect(() => upstreamDialect.toWire('events', noNode)).toThrow(
      /\$\.payload\.nodeId: .*NodeCompleted, whose eventData has nodeId, attempt, output/,
    );
  });

  it('status: the tenant is not carried upstream (noted lossy); without tenant and data it round-trips', () => {
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom('RUNNING', 'COMPLETED', 'FAILED'),
        fc.option(fc.string(), { nil: undefined }),
        (s, status, message) => {
          const withTenant = { ...buildStatusUpdate({ status }, { seed: s }), message };
          expect(lossless(upstreamDialect.toWire('status', withTenant).mapped)).toBe(false);
          const plain = { ...withTenant, tenantId: UNKNOWN_TENANT, data: undefined };
          const { wire, mapped } = upstreamDialect.toWire('status', plain);
          expect(lossless(mapped)).toBe(true);
          expect(upstreamDialect.fromWire('status', JSON.parse(JSON.stringify(wire))).message).toEqual(plain);
        },
      ),
      { numRuns: 60 },
    );
  });
});

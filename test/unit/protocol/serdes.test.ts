import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildStatusUpdate, buildTask, buildTaskResult, buildWorkflowEvent } from '../../../fixtures/builders/index.js';
import {
  childTraceparent,
  CONTENT_TYPE,
  createTraceparent,
  decodeRecord,
  encodeRecord,
  HEADERS,
  keyFor,
  parseTraceparent,
  SCHEMA_VERSION,
  type StatusUpdateMessage,
  type TaskMessage,
  type TaskResultMessage,
  type WorkflowEventMessage,
} from '../../../harness/protocol/index.js';
import { ProtocolError } from '../../../harness/errors.js';

const text = (h: string | Buffer | undefined) => (Buffer.isBuffer(h) ? h.toString('utf8') : h);

describe('encodeRecord', () => {
  it('keys by role, writes JSON UTF-8 and the protocol headers', () => {
    const task = buildTask({ runId: 'run-ä', nodeId: 'n', attempt: 1 });
    const traceparent = createTraceparent();
    const record = encodeRecord('tasks', task, { traceparent });
    expect(record.key).toBe('run-ä');
    expect(JSON.parse(record.value!.toString('utf8'))).toMatchObject({ runId: 'run-ä', taskId: 'run-ä:n:1' });
    expect(Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, text(v)]))).toEqual({
      [HEADERS.contentType]: CONTENT_TYPE,
      [HEADERS.messageType]: 'TaskMessage',
      [HEADERS.schemaVersion]: SCHEMA_VERSION,
      [HEADERS.traceparent]: traceparent,
    });
  });

  it('starts a new trace when none (or a malformed one) is given', () => {
    const record = encodeRecord('events', buildWorkflowEvent(), { traceparent: 'garbage' });
    expect(parseTraceparent(text(record.headers[HEADERS.traceparent]))).toBeDefined();
  });

  it('keys status updates by tenantId and the other roles by runId', () => {
    const status = buildStatusUpdate({ tenantId: 'tenant-acme' });
    expect(keyFor('status', status)).toBe('tenant-acme');
    expect(encodeRecord('status', status).key).toBe('tenant-acme');
    expect(keyFor('results', buildTaskResult({ runId: 'r-1' }))).toBe('r-1');
    expect(keyFor('events', buildWorkflowEvent({ runId: 'r-2' }))).toBe('r-2');
  });

  it('refuses to write an invalid message', () => {
    expect(() => encodeRecord('tasks', { ...buildTask(), taskId: 'not-matching' })).toThrow(ProtocolError);
    expect(() => encodeRecord('tasks', { ...buildTask(), token: 'short' })).toThrow(
      /TaskMessage at \$\.token: must be at least 10 characters/,
    );
  });
});

describe('decodeRecord', () => {
  const task = buildTask({ runId: 'run-1', nodeId: 'n', attempt: 1 });
  const good = encodeRecord('tasks', task);

  it('returns the message, key, headers and traceparent', () => {
    const decoded = decodeRecord('tasks', good);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.message.message).toEqual(task);
    expect(decoded.message.key).toBe('run-1');
    expect(decoded.message.traceparent).toBe(text(good.headers[HEADERS.traceparent]));
  });

  it.each([
    [
      'not JSON',
      Buffer.from('{"taskId": '),
      'MESSAGE_DECODE_FAILED',
      undefined,
      /^value is not JSON \(.+\); expected a JSON TaskMessage$/,
    ],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0x00]), 'MESSAGE_DECODE_FAILED', undefined, /^value is not valid UTF-8/],
    ['a tombstone', null, 'MESSAGE_DECODE_FAILED', undefined, /^record has no value \(a tombstone\)/],
    [
      'JSON failing the schema',
      Buffer.from(JSON.stringify({ ...JSON.parse(good.value!.toString()), attempt: -1 })),
      'MESSAGE_INVALID',
      '$.attempt',
      /^must be ≥ 0 \(got -1\)$/,
    ],
  ] as const)('rejects %s', (_name, value, code, path, reason) => {
    const decoded = decodeRecord('tasks', { ...good, value });
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.failure.code).toBe(code);
    expect(decoded.failure.path).toBe(path);
    expect(decoded.failure.reason).toMatch(reason);
    expect(decoded.failure.error).toBeInstanceOf(ProtocolError);
    expect(decoded.failure.error.code).toBe(code);
  });

  it('rejects a missing key and a key that is not the runId', () => {
    const missing = decodeRecord('tasks', { ...good, key: null });
    expect(!missing.ok && [missing.failure.code, missing.failure.path, missing.failure.reason]).toEqual([
      'MESSAGE_KEY_INVALID',
      '$.runId',
      'record has no key; records on the tasks topic are keyed by runId ("run-1")',
    ]);
    const wrong = decodeRecord('tasks', { ...good, key: Buffer.from('run-2') });
    expect(!wrong.ok && [wrong.failure.code, wrong.failure.reason]).toEqual([
      'MESSAGE_KEY_INVALID',
      'record key "run-2" does not match runId "run-1"',
    ]);
    const status = encodeRecord('status', buildStatusUpdate({ tenantId: 't-1' }));
    const wrongTenant = decodeRecord('status', { ...status, key: 'run-1' });
    expect(!wrongTenant.ok && [wrongTenant.failure.path, wrongTenant.failure.reason]).toEqual([
      '$.tenantId',
      'record key "run-1" does not match tenantId "t-1"',
    ]);
  });

  it('rejects a record whose message-type header names another message', () => {
    const decoded = decodeRecord('tasks', {
      ...good,
      headers: { ...good.headers, [HEADERS.messageType]: 'TaskResultMessage' },
    });
    expect(!decoded.ok && decoded.failure.reason).toBe(
      'header gamelan-message-type is "TaskResultMessage" but the tasks topic carries TaskMessage',
    );
  });

  it('accepts records without harness headers (a Java producer)', () => {
    const decoded = decodeRecord('tasks', { key: good.key, value: good.value });
    expect(decoded.ok && decoded.message.traceparent).toBeUndefined();
  });
});

describe('traceparent', () => {
  it('a child keeps the trace-id and flags with a new parent-id', () => {
    const root = createTraceparent();
    const child = childTraceparent(root);
    const [r, c] = [parseTraceparent(root)!, parseTraceparent(child)!];
    expect(c.traceId).toBe(r.traceId);
    expect(c.flags).toBe('01');
    expect(c.parentId).not.toBe(r.parentId);
    expect(child).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it.each([
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
    'nonsense',
  ])('rejects %s', (header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('accepts the W3C example', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      version: '00',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentId: '00f067aa0ba902b7',
      flags: '01',
    });
  });
});

// ---- property-based round trips ------------------------------------------------------------

const id = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => s.length <= 255);
const idNoColon = id; // taskId is derived, so any identifier works for runId/nodeId
const tokenArb = fc.string({ minLength: 10, maxLength: 80 });
const json = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) as fc.Arbitrary<
  Record<string, unknown>
>;
const optionalOf = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const instantArb = fc
  .tuple(
    fc.integer({ min: 0, max: 253_402_300_799 }),
    fc.integer({ min: 0, max: 999_999_999 }),
    fc.integer({ min: -18 * 60, max: 18 * 60 }),
  )
  .map(([seconds, nanos, offsetMinutes]) => {
    // Any offset on the wire; the canonical UTC form after decoding.
    const local = new Date((seconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local}.${String(nanos).padStart(9, '0')}${offset}`;
  })
  .filter((s) => !s.startsWith('-') && !s.startsWith('+') && Number(s.slice(0, 4)) <= 9999);
const durationArb = fc
  .integer({ min: 0, max: 10 ** 6 })
  .chain((s) => fc.integer({ min: 0, max: 999_999_999 }).map((n) => s + n / 1e9));

const taskArb: fc.Arbitrary<unknown> = fc
  .record({
    runId: idNoColon,
    nodeId: idNoColon,
    attempt: fc.integer({ min: 0, max: 2147483647 }),
    token: tokenArb,
    context: optionalOf(json),
    targetExecutor: optionalOf(id),
    createdAt: instantArb,
  })
  .map((t) => ({ taskId: `${t.runId}:${t.nodeId}:${t.attempt}`, ...t }));

describe('property: encode → bytes → decode is lossless', () => {
  it('TaskMessage (any offset, nanosecond instants)', () => {
    fc.assert(
      fc.property(taskArb, (wire) => {
        const first = decodeRecord('tasks', {
          key: (wire as TaskMessage).runId,
          value: Buffer.from(JSON.stringify(wire)),
        });
        if (!first.ok) throw first.failure.error;
        const again = decodeRecord('tasks', encodeRecord('tasks', first.message.message));
        expect(again.ok && again.message.message).toEqual(first.message.message);
        expect(first.message.message.createdAt).toMatch(/Z$/);
      }),
    );
  });

  it('TaskResultMessage (durations as decimal seconds and ISO-8601)', () => {
    fc.assert(
      fc.property(
        fc.record({
          runId: id,
          nodeId: id,
          attempt: fc.integer({ min: 0, max: 1000 }),
          token: tokenArb,
          status: fc.constantFrom('SUCCESS', 'FAILURE', 'TIMEOUT'),
          output: optionalOf(json),
          error: optionalOf(
            fc.record({
              code: id,
              message: fc.string(),
              stackTrace: optionalOf(fc.string()),
              context: optionalOf(json),
            }),
          ),
          executionTime: optionalOf(durationArb),
          executorId: optionalOf(id),
          completedAt: instantArb,
        }),
        fc.boolean(),
        (fields, iso) => {
          const wire = {
            taskId: `${fields.runId}:${fields.nodeId}:${fields.attempt}`,
            ...fields,
            executionTime:
              iso && fields.executionTime !== undefined
                ? `PT${fields.executionTime.toFixed(9)}S`
                : fields.executionTime,
          };
          const first = decodeRecord('results', { key: fields.runId, value: Buffer.from(JSON.stringify(wire)) });
          if (!first.ok) throw first.failure.error;
          const message: TaskResultMessage = first.message.message;
          if (fields.executionTime !== undefined) expect(message.executionTime).toBeCloseTo(fields.executionTime, 9);
          const again = decodeRecord('results', encodeRecord('results', message));
          expect(again.ok && again.message.message).toEqual(message);
        },
      ),
    );
  });

  it('WorkflowEventMessage and StatusUpdateMessage', () => {
    fc.assert(
      fc.property(
        fc.record({
          eventId: id,
          runId: id,
          eventType: id,
          payload: optionalOf(json),
          timestamp: instantArb,
          actorId: optionalOf(id),
        }),
        fc.record({ runId: id, tenantId: id, status: id, data: optionalOf(json), timestamp: instantArb }),
        (event, status) => {
          const e = decodeRecord('events', { key: event.runId, value: Buffer.from(JSON.stringify(event)) });
          if (!e.ok) throw e.failure.error;
          const e2 = decodeRecord('events', encodeRecord('events', e.message.message as WorkflowEventMessage));
          expect(e2.ok && e2.message.message).toEqual(e.message.message);
          const s = decodeRecord('status', { key: status.tenantId, value: Buffer.from(JSON.stringify(status)) });
          if (!s.ok) throw s.failure.error;
          const s2 = decodeRecord('status', encodeRecord('status', s.message.message as StatusUpdateMessage));
          expect(s2.ok && s2.message.message).toEqual(s.message.message);
        },
      ),
    );
  });

  it('arbitrary bytes never throw: they decode or fail with a typed reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.string()), (bytes, key) => {
        const decoded = decodeRecord('tasks', { key, value: Buffer.from(bytes) });
        if (!decoded.ok) expect(decoded.failure.reason.length).toBeGreaterThan(0);
      }),
    );
  });
});

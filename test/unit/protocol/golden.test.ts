import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../harness/errors.js';
import { decodeMessage, encodeMessage, MESSAGE_TYPES, type MessageType } from '../../../harness/protocol/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/messages');
const files = (kind: 'valid' | 'invalid', type: MessageType) =>
  readdirSync(path.join(root, kind, type))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(path.join(root, kind, type, f), 'utf8')) as unknown] as const);

describe.each(MESSAGE_TYPES)('golden %s messages', (type) => {
  const valid = files('valid', type);
  const invalid = files('invalid', type);

  it('has valid and invalid fixtures', () => {
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
  });

  it.each(valid)('round-trips valid/%s', (file, json) => {
    const decoded = decodeMessage(type, json);
    if (!decoded.ok) throw decoded.failure.error;
    const written = encodeMessage(type, decoded.message);
    // Writing then reading again is lossless.
    const again = decodeMessage(type, JSON.parse(JSON.stringify(written)));
    expect(again).toEqual(decoded);
    if (!file.startsWith('java-')) {
      // Canonical fixtures are exactly what the writer writes (spec names, UTC Z, nulls for absent fields).
      expect(written).toEqual(json);
    } else {
      // Java-shaped fixtures are written with the spec's names only.
      expect(Object.keys(written)).not.toEqual(expect.arrayContaining(['executionToken']));
      for (const alias of ['executionToken', 'scheduledAt', 'occurredAt', 'eventData'])
        expect(written).not.toHaveProperty(alias);
    }
  });

  it.each(invalid)('rejects invalid/%s with the expected path and reason', (_file, fixture) => {
    const { message, expect: expected } = fixture as { message: unknown; expect: { path: string; reason: string } };
    const decoded = decodeMessage(type, message);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect({ path: decoded.failure.path, reason: decoded.failure.reason }).toEqual(expected);
    expect(decoded.failure.code).toBe('MESSAGE_INVALID');
    expect(decoded.failure.error).toBeInstanceOf(ProtocolError);
    expect(decoded.failure.error.code).toBe('MESSAGE_INVALID');
    expect(decoded.failure.error.details.path).toBe(expected.path);
    expect(decoded.failure.error.message).toBe(`${type} at ${expected.path}: ${expected.reason}`);
  });
});

describe('Java-shaped messages', () => {
  it('normalises offsets to UTC Z and ISO durations to decimal seconds', () => {
    const [, json] = files('valid', 'TaskResultMessage').find(([f]) => f === 'java-pt-duration-offset.json')!;
    const decoded = decodeMessage('TaskResultMessage', json);
    expect(decoded.ok && decoded.message).toMatchObject({
      token: 'tok-7f3a9c1e2b4d',
      executionTime: 62.5,
      completedAt: '2024-05-01T10:15:31.500Z',
    });
    expect(decoded.ok && encodeMessage('TaskResultMessage', decoded.message)).toMatchObject({
      executionTime: 62.5,
      completedAt: '2024-05-01T10:15:31.500Z',
    });
  });

  it('reads upstream names and writes the spec names', () => {
    const [, json] = files('valid', 'WorkflowEventMessage').find(([f]) => f === 'java-upstream-names.json')!;
    const decoded = decodeMessage('WorkflowEventMessage', json);
    expect(decoded.ok && encodeMessage('WorkflowEventMessage', decoded.message)).toEqual({
      eventId: 'evt-0002',
      runId: 'run-0001',
      eventType: 'RUN_COMPLETED',
      payload: { status: 'SUCCESS', duration: 12.75 },
      timestamp: '2024-05-01T10:15:30Z',
      actorId: 'engine',
    });
  });

  it('keeps nanosecond precision of instants', () => {
    const [, json] = files('valid', 'TaskResultMessage').find(([f]) => f === 'java-jackson-nanos.json')!;
    const decoded = decodeMessage('TaskResultMessage', json);
    expect(decoded.ok && decoded.message.completedAt).toBe('2024-05-01T10:15:31.000000001Z');
  });

  it('prefers the spec name when a message carries both names', () => {
    const [, json] = files('valid', 'TaskMessage').find(([f]) => f === 'full.json')!;
    const decoded = decodeMessage('TaskMessage', {
      ...(json as object),
      executionToken: 'ignored-because-token-is-set',
    });
    expect(decoded.ok && decoded.message.token).toBe('tok-7f3a9c1e2b4d');
  });
});

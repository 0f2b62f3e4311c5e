import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildStatusUpdate, buildTask, buildTaskResult, buildWorkflowEvent } from '../../../fixtures/builders/index.js';
import { compilePlan, DECLINE, type Direction, throughPlan } from '../../../harness/protocol/fast-path.js';
import { encodeMessage, MESSAGE_TYPES, type MessageType, messageDefinition } from '../../../harness/protocol/index.js';
import { applyAliases } from '../../../harness/protocol/validate.js';

// The fast path must never change an answer: for every value, either it declines (zod decides, errors and all)
// or it returns exactly what zod returns. Compared here on the golden fixtures, faker-built messages, and each
// field of those replaced by a set of awkward values, in both directions.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/messages');
const fixtures = (type: MessageType): unknown[] =>
  ['valid', 'invalid', 'upstream/valid', 'upstream/invalid'].flatMap((kind) => {
    const dir = path.join(root, kind, type);
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown);
    } catch {
      return [];
    }
  });

const built: Partial<Record<MessageType, (seed: number) => object>> = {
  TaskMessage: (seed) => buildTask({}, { seed }),
  TaskResultMessage: (seed) => buildTaskResult({}, { seed }),
  WorkflowEventMessage: (seed) => buildWorkflowEvent({}, { seed }),
  StatusUpdateMessage: (seed) => buildStatusUpdate({}, { seed }),
};

const AWKWARD: readonly unknown[] = [
  undefined,
  null,
  '',
  'x',
  'tok-0123456789',
  'a'.repeat(256),
  0,
  -1,
  1.5,
  2 ** 31,
  Number.NaN,
  Infinity,
  true,
  [],
  {},
  { a: 1 },
  'PT1.5S',
  'P1D',
  '-PT1S',
  '2024-05-01T10:15:30Z',
  '2024-05-01T10:15:30.000Z',
  '2024-05-01T10:15:30.120Z',
  '2024-02-30T10:15:30Z',
  '2024-05-01T10:15:30+02:00',
  '2024-05-01T24:00:00Z',
  1_718_000_000.5,
  'SUCCESS',
  'FAILURE',
  'NODE_STARTED',
  { code: 'E1', message: 'm' },
];

/** zod's own answer for the same value and direction. */
function zodSays(
  type: MessageType,
  value: unknown,
  direction: Direction,
): { ok: true; value: unknown } | { ok: false } {
  const schema = messageDefinition(type).schema;
  const result = direction === 'decode' ? z.safeDecode(schema, value as never) : z.safeEncode(schema, value as never);
  return result.success ? { ok: true, value: result.data } : { ok: false };
}

function agree(type: MessageType, value: unknown, direction: Direction): 'fast' | 'declined' {
  const fast = throughPlan(messageDefinition(type).schema, value, direction);
  const zod = zodSays(type, value, direction);
  if (fast === DECLINE) return 'declined';
  expect(zod, `zod rejects what the fast path accepted (${direction} ${JSON.stringify(value)})`).toMatchObject({
    ok: true,
  });
  expect(fast).toStrictEqual((zod as { value: unknown }).value);
  return 'fast';
}

/** A message with one field replaced by each awkward value (and removed). */
function* mutations(message: Record<string, unknown>): Generator<Record<string, unknown>> {
  for (const field of Object.keys(message)) {
    for (const awkward of AWKWARD) yield { ...message, [field]: awkward };
    const { [field]: _removed, ...without } = message;
    yield without;
  }
}

describe.each(MESSAGE_TYPES.filter((t) => t !== 'DeadLetterMessage'))('the %s fast path', (type) => {
  const schema = messageDefinition(type).schema;
  const wire = (message: object) =>
    JSON.parse(JSON.stringify(encodeMessage(type, message as never))) as Record<string, unknown>;
  const canonical = Array.from({ length: 25 }, (_, seed) => built[type]!(seed + 1) as Record<string, unknown>);

  it('is compiled from the zod definition', () => {
    expect(compilePlan(schema)).toBeTypeOf('function');
  });

  it('answers for plain valid messages both ways (otherwise it saves nothing)', () => {
    for (const message of canonical) {
      expect(agree(type, message, 'encode')).toBe('fast');
      expect(agree(type, applyAliases(messageDefinition(type).aliases, wire(message)).renamed, 'decode')).toBe('fast');
    }
  });

  it('agrees with zod on every golden fixture, valid or not', () => {
    const all = fixtures(type);
    expect(all.length).toBeGreaterThan(0);
    for (const fixture of all) {
      const renamed =
        fixture && typeof fixture === 'object' && !Array.isArray(fixture)
          ? applyAliases(messageDefinition(type).aliases, fixture as Record<string, unknown>).renamed
          : fixture;
      agree(type, renamed, 'decode');
    }
  });

  it('agrees with zod on each field replaced by awkward values, decoding and encoding', () => {
    let declined = 0;
    let answered = 0;
    for (const message of canonical.slice(0, 3)) {
      for (const mutated of mutations(wire(message)))
        agree(type, mutated, 'decode') === 'declined' ? declined++ : answered++;
      for (const mutated of mutations(message)) agree(type, mutated, 'encode') === 'declined' ? declined++ : answered++;
    }
    // Both outcomes happen: the comparison above is not vacuous either way.
    expect(declined).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(0);
  });
});

describe('what the plan leaves to zod', () => {
  it('declines schemas it does not know (transforms without a way back, strict objects, formats)', () => {
    expect(compilePlan(z.string().transform((s) => s.length))).toBeUndefined();
    expect(compilePlan(z.strictObject({ a: z.string() }))).toBeUndefined();
    expect(compilePlan(z.email())).toBeUndefined();
    expect(compilePlan(z.string().regex(/a/))).toBeUndefined();
  });

  it('declines a value a refinement rejects (the taskId rule), so zod reports it', () => {
    const task = buildTask({}, { seed: 7 });
    expect(throughPlan(messageDefinition('TaskMessage').schema, { ...task, taskId: 'other' }, 'encode')).toBe(DECLINE);
    expect(() => encodeMessage('TaskMessage', { ...task, taskId: 'other' })).toThrow('must be runId:nodeId:attempt');
  });
});

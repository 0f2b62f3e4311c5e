import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { TOPIC_ROLES } from '../../../harness/vocabulary.js';
import { type MessageRole, upstreamDialect } from '../../../harness/protocol/index.js';

// Golden upstream messages (what the Java code writes), checked by the dialect's reader and by a real JSON
// Schema validator against the generated schemas/upstream/json.
const root = path.resolve(import.meta.dirname, '../../..');
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const schemaDir = path.join(root, 'schemas/upstream/json');
for (const file of readdirSync(schemaDir))
  ajv.addSchema(JSON.parse(readFileSync(path.join(schemaDir, file), 'utf8')) as object, file);

const fixtures = (kind: 'valid' | 'invalid', type: string) => {
  const dir = path.join(root, 'fixtures/messages/upstream', kind, type);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>] as const);
};

const roles = TOPIC_ROLES.map((role) => [upstreamDialect.messages[role].name, role] as const);

describe.each(roles)('upstream %s', (type, role) => {
  const validate = ajv.getSchema(`${type}.schema.json`)!;

  it('has valid and invalid golden fixtures', () => {
    expect(fixtures('valid', type).length).toBeGreaterThan(0);
    expect(fixtures('invalid', type).length).toBeGreaterThan(0);
  });

  it.each(fixtures('valid', type))('the JSON Schema accepts valid/%s', (_f, message) => {
    expect(validate(message), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(fixtures('invalid', type))(
    'the JSON Schema rejects invalid/%s where JSON Schema can say it',
    (file, fixture) => {
      const expressible = !file.startsWith('task-id-'); // taskId = runId:nodeId:attempt is a cross-field rule
      if (expressible) expect(validate(fixture.message)).toBe(false);
    },
  );

  if (role === 'dlq') {
    it.each(fixtures('valid', type))('the dead-letter reader reads valid/%s', (_f, message) => {
      const read = upstreamDialect.readDeadLetter({ key: null, value: JSON.stringify(message) });
      expect(read.ok).toBe(true);
    });
    it.each(fixtures('invalid', type))('the dead-letter reader rejects invalid/%s by rule and field', (_f, fixture) => {
      const read = upstreamDialect.readDeadLetter({ key: null, value: JSON.stringify(fixture.message) });
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.reasons.upstream).toContainEqual(expect.objectContaining(fixture.expect as object));
    });
    return;
  }
  const messageRole = role as MessageRole;

  it.each(fixtures('valid', type))(
    'valid/%s is what the upstream writer writes back, except fields the mapping notes as lossy or filled in',
    (_f, message) => {
      const { message: canonical, mapped } = upstreamDialect.fromWire(messageRole, message);
      const changed = new Set(mapped.filter((n) => n.lossy || n.from === null).map((n) => n.field.split('.')[0]!));
      const without = (o: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(o).filter(([k]) => !changed.has(k)));
      const { wire } = upstreamDialect.toWire(messageRole, canonical);
      expect(without(wire)).toEqual(without(message));
      if (changed.size === 0) expect(wire).toEqual(message);
    },
  );

  it.each(fixtures('invalid', type))('invalid/%s deviates by the expected rule and field', (_f, fixture) => {
    const key =
      typeof (fixture.message as { runId?: unknown }).runId === 'string'
        ? (fixture.message as { runId: string }).runId
        : null;
    const deviations = upstreamDialect.check(messageRole, { key, value: JSON.stringify(fixture.message) });
    expect(deviations).toContainEqual(expect.objectContaining(fixture.expect as object));
    expect(upstreamDialect.read(messageRole, { key, value: JSON.stringify(fixture.message) }).ok).toBe(false);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES } from '../../../harness/protocol/index.js';

// The published JSON Schemas, checked by a real JSON Schema validator (what an executor in another
// language would use): every golden message passes, and what the schema can express fails.
const root = path.resolve(import.meta.dirname, '../../..');
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
for (const file of readdirSync(path.join(root, 'schemas/json'))) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(root, 'schemas/json', file), 'utf8')) as object, file);
}
const fixtures = (kind: 'valid' | 'invalid', type: string) => {
  const dir = path.join(root, 'fixtures/messages', kind, type);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown] as const);
};

describe.each(MESSAGE_TYPES)('schemas/json/%s.schema.json', (type) => {
  const validate = ajv.getSchema(`${type}.schema.json`)!;

  it('compiles', () => {
    expect(validate).toBeTypeOf('function');
  });

  it.each(fixtures('valid', type))('accepts the golden %s', (_name, message) => {
    expect(validate(message), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('what JSON Schema can express is rejected by it too', () => {
  const validate = ajv.getSchema('TaskMessage.schema.json')!;
  it.each([
    'attempt-fraction.json',
    'attempt-negative.json',
    'context-not-object.json',
    'node-id-too-long.json',
    'not-an-object.json',
  ])('%s', (file) => {
    const fixture = JSON.parse(
      readFileSync(path.join(root, 'fixtures/messages/invalid/TaskMessage', file), 'utf8'),
    ) as { message: unknown };
    expect(validate(fixture.message)).toBe(false);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/executor-contract.md lists every field of every message, written by hand from schemas/json: each schema's
// properties must each have a row in that message's table, and the table no field the schema lacks.
const root = path.resolve(import.meta.dirname, '../../..');
const page = readFileSync(path.join(root, 'docs/executor-contract.md'), 'utf8');
const schemas = readdirSync(path.join(root, 'schemas/json'))
  .filter((f) => f.endsWith('.schema.json'))
  .map(
    (f) =>
      JSON.parse(readFileSync(path.join(root, 'schemas/json', f), 'utf8')) as {
        title: string;
        properties?: Record<string, unknown>;
        required?: string[];
      },
  )
  .filter((s) => s.properties !== undefined);

/** The field names of the table under `#### \`<name>\``. */
function documentedFields(name: string): string[] | undefined {
  const section = page.split(`\n#### \`${name}\`\n`)[1]?.split('\n#')[0];
  return section?.split('\n').flatMap((line) => /^\| `([^`]+)` \|/.exec(line)?.[1] ?? []);
}

describe('docs/executor-contract.md message fields', () => {
  it('covers the schemas with fields', () =>
    expect(schemas.map((s) => s.title).sort()).toEqual([
      'DeadLetterMessage',
      'ErrorInfo',
      'StatusUpdateMessage',
      'TaskMessage',
      'TaskResultMessage',
      'WorkflowEventMessage',
    ]));

  it.each(schemas.map((s) => [s.title, s] as const))('%s: one row per field, required ones marked', (name, schema) => {
    const fields = documentedFields(name);
    expect(fields, `no table under #### \`${name}\``).toBeDefined();
    expect(fields).toEqual(Object.keys(schema.properties!));
    const section = page.split(`\n#### \`${name}\`\n`)[1]!.split('\n#')[0]!;
    for (const field of schema.required ?? [])
      expect(section, `${name}.${field} is required`).toMatch(new RegExp(`^\\| \`${field}\` \\| [^\\n]*\\| yes`, 'm'));
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS } from '../../support/entry-points.js';

// Every `import { … } from 'gamelan-kafka-harness…'` shown in README.md and docs/*.md names an entry point that
// exists and values that entry really exports (so a name moved to a subpath cannot stay behind in the docs).
const root = path.resolve(import.meta.dirname, '../../..');
const docs = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface ShownImport {
  readonly where: string;
  readonly from: string;
  readonly names: readonly string[];
}

function shownImports(): ShownImport[] {
  const found: ShownImport[] = [];
  for (const doc of docs) {
    const text = readFileSync(path.join(root, doc), 'utf8');
    for (const block of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const source = ts.createSourceFile('block.ts', block[1]!, ts.ScriptTarget.Latest);
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const from = statement.moduleSpecifier.text;
        if (!from.startsWith('gamelan-kafka-harness')) continue;
        const bindings = statement.importClause?.namedBindings;
        const names =
          bindings && ts.isNamedImports(bindings) && !statement.importClause?.isTypeOnly
            ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text)
            : [];
        const line = text.slice(0, block.index).split('\n').length;
        found.push({ where: `${doc}:${line}`, from, names });
      }
    }
  }
  return found;
}

const imports = shownImports();

describe('imports shown in the docs', () => {
  it('are found', () => expect(imports.length).toBeGreaterThan(5));

  it.each(imports.map((i) => [`${i.where} ${i.from}`, i] as const))(
    '%s: the entry exists and exports what is imported',
    async (_label, shown) => {
      expect(Object.keys(ENTRY_POINTS), shown.where).toContain(shown.from);
      const entry = (await import(/* @vite-ignore */ path.join(root, ENTRY_POINTS[shown.from]!))) as Record<
        string,
        unknown
      >;
      expect(
        shown.names.filter((name) => !(name in entry)),
        `${shown.where}: not exported by ${shown.from}`,
      ).toEqual([]);
    },
    60_000,
  );
});

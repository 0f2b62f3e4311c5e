import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importsOf, isPublicImport } from '../../support/entry-points.js';

// docs/scenarios.md cannot drift from the code: its worked examples are the files in examples/scenarios/
// (played on a broker by test/integration/docs/examples.test.ts), and its reference lists every member of
// ScenarioContext.
const root = path.resolve(import.meta.dirname, '../../..');
const doc = readFileSync(path.join(root, 'docs/scenarios.md'), 'utf8');

/** `<!-- example: path -->` followed by a fenced block: [path, the block's text]. */
const examples = [...doc.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map(
  (m) => [m[1]!, m[2]!] as const,
);

describe('docs/scenarios.md', () => {
  it('shows three worked examples', () =>
    expect(examples.map(([file]) => file)).toEqual([
      'examples/scenarios/run-completes.ts',
      'examples/scenarios/retry-to-dlq.ts',
      'examples/scenarios/executor-crash.ts',
    ]));

  it.each(examples)('shows %s exactly as the file is', (file, shown) => {
    expect(existsSync(path.join(root, file)), file).toBe(true);
    expect(shown).toBe(readFileSync(path.join(root, file), 'utf8'));
  });

  it.each(examples.map(([file]) => file))('%s imports only the public entry points', (file) => {
    expect(importsOf(path.join(root, file)).filter((s) => !isPublicImport(s))).toEqual([]);
  });

  it('lists every member of ScenarioContext as `ctx.<member>`', () => {
    const program = ts.createProgram([path.join(root, 'harness/scenario/context.ts')], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(path.join(root, 'harness/scenario/context.ts'))!;
    const declaration = source.statements.find(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'ScenarioContext',
    )!;
    const members = checker.getPropertiesOfType(checker.getTypeAtLocation(declaration.name)).map((p) => p.name);
    expect(members).toEqual(
      expect.arrayContaining(['recorder', 'step', 'check', 'measure', 'log', 'startEngine', 'prefix']),
    );
    expect(members.filter((m) => !doc.includes(`\`ctx.${m}`))).toEqual([]);
  }, 60_000); // a TypeScript program of the context's imports: seconds
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS, importsOf, isPublicImport } from '../../support/entry-points.js';

// The package's entry points exist once per place that resolves them: package.json "exports" (Node, from dist/)
// and tsconfig.json "paths" (tsc, tsx and vitest, from the sources). These tests keep the two lists equal and
// keep what we ship as examples on them.
const root = path.resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
};
const tsconfig = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config as {
  compilerOptions: { paths: Record<string, string[]> };
};

const entryPoints = ENTRY_POINTS;

describe('the package entry points', () => {
  it('are the same in package.json "exports" and tsconfig.json "paths", and point at existing sources', () => {
    const paths = Object.fromEntries(
      Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, target]),
    );
    expect(paths).toEqual(entryPoints);
    for (const source of Object.values(entryPoints)) expect(existsSync(path.join(root, source)), source).toBe(true);
  });

  it('declare types beside each module', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath === './package.json') continue;
      expect(target, subpath).toEqual({
        types: expect.stringMatching(/^\.\/dist\/.+\.d\.ts$/),
        default: expect.stringMatching(/^\.\/dist\/.+\.js$/),
      });
      if (typeof target !== 'string')
        expect(target.types.replace(/\.d\.ts$/, '')).toBe(target.default.replace(/\.js$/, ''));
    }
  });

  it('are curated: named re-exports only (no export *, no code), each subpath a file in harness/entries/', () => {
    for (const [name, source] of Object.entries(entryPoints)) {
      if (name !== 'gamelan-kafka-harness') expect(source, name).toMatch(/^\.\/harness\/entries\/[a-z-]+\.ts$/);
      const file = ts.createSourceFile(source, readFileSync(path.join(root, source), 'utf8'), ts.ScriptTarget.Latest);
      for (const statement of file.statements) {
        const named =
          ts.isExportDeclaration(statement) &&
          statement.moduleSpecifier !== undefined &&
          statement.exportClause !== undefined &&
          ts.isNamedExports(statement.exportClause);
        expect(named, `${source}: ${statement.getText(file).slice(0, 80)}`).toBe(true);
      }
    }
  });

  it('no entry re-exports another entry', () => {
    const entryFiles = new Set(Object.values(entryPoints).map((source) => path.join(root, source)));
    for (const source of Object.values(entryPoints)) {
      const from = path.dirname(path.join(root, source));
      const reexported = importsOf(path.join(root, source)).map((specifier) =>
        specifier.startsWith('.') ? path.resolve(from, specifier.replace(/\.js$/, '.ts')) : specifier,
      );
      expect(
        reexported.filter((target) => entryFiles.has(target) || target in entryPoints),
        source,
      ).toEqual([]);
    }
  });

  it('the root entry has at most 35 runtime names (the common path; the rest is on subpaths)', async () => {
    const names = Object.keys(await import('../../../harness/index.js'));
    expect(names.length, names.join(', ')).toBeLessThanOrEqual(35);
    expect(names).toEqual(
      expect.arrayContaining([
        'startStack',
        'openWorkspace',
        'FakeEngine',
        'FakeExecutor',
        'behaviours',
        'FlowRecorder',
        'runCompleted',
        'defineScenario',
        'HarnessError',
      ]),
    );
  });
});

describe('bundled scenarios', () => {
  const dir = path.join(root, 'scenarios');
  const files = readdirSync(dir).filter((f) => /\.m?ts$/.test(f));

  it('exist', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s imports only gamelan-kafka-harness and its subpaths (the code users copy)', (file) => {
    const imports = importsOf(path.join(dir, file));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((s) => !isPublicImport(s))).toEqual([]);
  });

  it('the check itself tells an internal path from a public one', () => {
    expect(isPublicImport('../harness/index.js')).toBe(false);
    expect(isPublicImport('gamelan-kafka-harness/internal')).toBe(false);
    expect(isPublicImport('gamelan-kafka-harness/protocol')).toBe(true);
  });
});

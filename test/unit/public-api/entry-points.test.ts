import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS, importsOf, isPublicImport } from '../../support/entry-points.js';

// The package's entry points exist once per place that resolves them: package.json "exports" (Node, from dist/)
// and tsconfig.json "paths" (tsc, tsx and vitest, from the sources). These tests keep the two lists equal and
// keep what we ship as examples on them.
const root = path.resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> };
const tsconfig = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config as { compilerOptions: { paths: Record<string, string[]> } };

const entryPoints = ENTRY_POINTS;

describe('the package entry points', () => {
  it('are the same in package.json "exports" and tsconfig.json "paths", and point at existing sources', () => {
    const paths = Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, target]));
    expect(paths).toEqual(entryPoints);
    for (const source of Object.values(entryPoints)) expect(existsSync(path.join(root, source)), source).toBe(true);
  });

  it('declare types beside each module', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath === './package.json') continue;
      expect(target, subpath).toEqual({ types: expect.stringMatching(/^\.\/dist\/.+\.d\.ts$/), default: expect.stringMatching(/^\.\/dist\/.+\.js$/) });
      if (typeof target !== 'string') expect(target.types.replace(/\.d\.ts$/, '')).toBe(target.default.replace(/\.js$/, ''));
    }
  });

  it('are curated: named exports only, no export *', () => {
    for (const source of Object.values(entryPoints)) {
      const text = readFileSync(path.join(root, source), 'utf8');
      expect(text, source).not.toMatch(/^export \*/m);
    }
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

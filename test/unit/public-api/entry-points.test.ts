import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The package's entry points exist once per place that resolves them: package.json "exports" (Node, from dist/)
// and tsconfig.json "paths" (tsc, tsx and vitest, from the sources). These tests keep the two lists equal and
// keep what we ship as examples on them.
const root = path.resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { types: string; default: string }> };
const tsconfig = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config as { compilerOptions: { paths: Record<string, string[]> } };

/** `gamelan-kafka-harness/protocol` → `./harness/entries/protocol.ts`, from package.json (dist/x.js is the build of x.ts). */
const entryPoints = Object.fromEntries(
  Object.entries(pkg.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const js = typeof target === 'string' ? target : target.default;
      return [path.posix.join(pkg.name, subpath), js.replace(/^\.\/dist\//, './').replace(/\.js$/, '.ts')];
    }),
);

/** Every module specifier a TypeScript file imports or re-exports, dynamic imports included. */
export function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** What a file users copy may import: the package's entry points and Node's built-ins. */
export function isPublicImport(specifier: string): boolean {
  return specifier in entryPoints || specifier.startsWith('node:');
}

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

import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// The package's entry points as package.json "exports" names them, and what files users copy may import.
const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types: string; default: string }>;
};

/** `gamelan-kafka-harness/protocol` → `./harness/entries/protocol.ts` (dist/x.js is the build of x.ts). */
export const ENTRY_POINTS: Readonly<Record<string, string>> = Object.fromEntries(
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
  return specifier in ENTRY_POINTS || specifier.startsWith('node:');
}

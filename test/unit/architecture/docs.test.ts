import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/architecture.md is the map of the code: it must name only folders that exist and every
// top-level folder of harness/, so a new room or a removed one fails here until the map says so.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');

/** Every `path/` or `path/file.ts` in backticks that starts with a project folder. */
function namedPaths(markdown: string): string[] {
  const found = new Set<string>();
  for (const match of markdown.matchAll(
    /`((?:harness|scenarios|fixtures|mocks|schemas|examples|test|docs)(?:\/[\w.-]+)*\/?)`/g,
  ))
    found.add(match[1]!);
  return [...found];
}

describe('docs/architecture.md', () => {
  it('finds the paths the page names', () => {
    expect(namedPaths('the `harness/brokers/` and `harness/errors.ts`, not `npm test`')).toEqual([
      'harness/brokers/',
      'harness/errors.ts',
    ]);
  });

  it('names only folders and files that exist', () => {
    const missing = namedPaths(doc).filter((path) => !existsSync(join(root, path)));
    expect(missing).toEqual([]);
  });

  it('names every top-level folder of harness/', () => {
    const folders = readdirSync(join(root, 'harness'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `harness/${entry.name}/`);
    const named = new Set(namedPaths(doc));
    expect(folders.filter((folder) => !named.has(folder))).toEqual([]);
  });
});

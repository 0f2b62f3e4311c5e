import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// package.json "engines", the README's table of supported Node versions and .ci/run name the same Node lines.
const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const majors = (list: Iterable<string>) => [...new Set([...list].map(Number))].sort((a, b) => a - b);

describe('supported Node versions', () => {
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const fromEngines = majors([...engines.matchAll(/\^(\d+)\./g)].map((m) => m[1]!));

  it('engines name the lines the README lists and CI runs', () => {
    const section = read('README.md').split('## Supported Node versions and dependencies')[1]!.split('\n## ')[0]!;
    const fromReadme = majors([...section.matchAll(/^\| (\d+)(?:\.\d+\+)? \|/gm)].map((m) => m[1]!));
    const ci = read('.ci/run');
    const fromCi = majors([
      ...[...ci.matchAll(/node-binary\.sh (\d+)/g)].map((m) => m[1]!),
      ...(/for major in ([\d ]+);/.exec(ci)?.[1]!.trim().split(/\s+/) ?? []),
    ]);
    expect(fromEngines).toEqual([20, 22, 24, 26]);
    expect(fromReadme).toEqual(fromEngines);
    // CI's own Node (20, the machines') runs the whole suite; the others come from scripts/node-binary.sh.
    expect([20, ...fromCi]).toEqual(fromEngines);
  });

  it('the vitest kit takes vitest 4 and 5', () => {
    const pkg = JSON.parse(read('package.json')) as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies.vitest).toBe('^4.0.0 || ^5.0.0');
  });
});

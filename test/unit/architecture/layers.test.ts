import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The layers of docs/architecture.md, checked by dependency-cruiser with the project's configuration
// (.dependency-cruiser.cjs, also `npm run lint:layers`): no upward import, no cycle, only harness/clients/ imports a
// Kafka client, the bundled scenarios and examples import the public entries only.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const configFile = join(root, '.dependency-cruiser.cjs');
const { layers } = createRequire(import.meta.url)(configFile) as {
  layers: readonly { name: string; paths: readonly string[] }[];
};
/** What the rules cover. */
const CRUISED = ['harness', 'mocks', 'fixtures', 'scenarios', 'examples'];

async function cruiseIn(baseDir: string, options: ICruiseOptions, tsConfigFile?: string): Promise<ICruiseResult> {
  const transpile = tsConfigFile ? { tsConfig: extractTSConfig(tsConfigFile) } : undefined;
  const { output } = await cruise(
    CRUISED.filter((folder) => existsSync(join(baseDir, folder))),
    { ...options, baseDir },
    {},
    transpile,
  );
  return output as ICruiseResult;
}

/** Each violation as `from → to (rule)`; a cycle as its whole path. */
function violations(result: ICruiseResult): string[] {
  return result.summary.violations.map(
    (v) =>
      `${v.cycle?.length ? [v.from, ...v.cycle.map((step) => step.name)].join(' → ') : `${v.from} → ${v.to}`} (${v.rule.name})`,
  );
}

describe('the layers (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  let options: ICruiseOptions;
  let result: ICruiseResult;
  beforeAll(async () => {
    options = await extractDepcruiseOptions(configFile);
    result = await cruiseIn(root, options, join(root, 'tsconfig.json'));
  }, 120_000);

  it('the shipped code keeps them: no upward import, no cycle, the client seam, public entries in scenarios and examples', () => {
    expect(violations(result)).toEqual([]);
  });

  it('reads every layer and places every shipped module of harness/, mocks/ and fixtures/ in exactly one', () => {
    const modules = result.modules
      .map((m) => m.source)
      .filter((source) => /^(harness|mocks|fixtures)\/.*\.ts$/.test(source));
    const layersOf = (source: string) =>
      layers.filter((layer) => layer.paths.some((path) => new RegExp(path).test(source))).map((layer) => layer.name);
    expect(
      modules
        .filter((source) => layersOf(source).length !== 1)
        .map((source) => `${source}: ${layersOf(source).join(', ') || 'no layer'}`),
    ).toEqual([]);
    for (const layer of layers)
      expect(
        modules.some((source) => layersOf(source)[0] === layer.name),
        layer.name,
      ).toBe(true);
    // Type-only imports are read too: the protocol's vocabulary reaches config/ only through `import type` somewhere.
    expect(
      result.modules.find((m) => m.source === 'harness/config/quarkus.ts')?.dependencies.map((d) => d.resolved),
    ).toContain('harness/vocabulary.ts');
  });

  it('are the layers of docs/architecture.md: the same names in the same order, each path of the table in its layer', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## The layers'), doc.indexOf('## What each folder owns'));
    const rows = [...section.matchAll(/^\| ([^|`]+?) \| ([^|]*`[^|]*) \|/gm)].map(([, name, paths]) => ({
      name: name!.trim(),
      paths: [...paths!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
    }));
    expect(rows.map((row) => row.name)).toEqual(layers.map((layer) => layer.name));
    const misplaced = rows.flatMap((row) => {
      const layer = layers.find((l) => l.name === row.name)!;
      return row.paths
        .filter((path) => !layer.paths.some((pattern) => new RegExp(pattern).test(path)))
        .map((path) => `${path} (${row.name})`);
    });
    expect(misplaced).toEqual([]);
  });

  describe('the rules can fail', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'gamelan-layers-'));
      const files: Record<string, string> = {
        'harness/config/a.ts': "import type { B } from '../engine/b.js';\nexport type A = B;\n",
        'harness/engine/b.ts': 'export type B = string;\n',
        'harness/topics/c.ts': "import type { D } from './d.js';\nexport type C = D;\n",
        'harness/topics/d.ts': "import type { C } from './c.js';\nexport type D = C | 1;\n",
        'harness/recorder/e.ts': "import { x } from '../clients/kafkajs.js';\nexport const e = x;\n",
        'harness/clients/kafkajs.ts': 'export const x = 1;\n',
        'scenarios/f.ts': "import { e } from '../harness/recorder/e.js';\nexport const f = e;\n",
      };
      for (const [path, source] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), source);
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('an upward type import, a type cycle, a reach past the client seam and a scenario on an internal path are each a violation', async () => {
      const { tsConfig: _tsConfig, ...withoutTsConfig } = options;
      const found = violations(await cruiseIn(dir, withoutTsConfig));
      expect(found).toEqual(
        expect.arrayContaining([
          'harness/config/a.ts → harness/engine/b.ts (layer-foundations)',
          expect.stringMatching(
            /^harness\/topics\/[cd]\.ts → harness\/topics\/[cd]\.ts → harness\/topics\/[cd]\.ts \(no-circular\)$/,
          ),
          'harness/recorder/e.ts → harness/clients/kafkajs.ts (client-seam)',
          'scenarios/f.ts → harness/recorder/e.ts (public-entries-only)',
        ]),
      );
    }, 60_000);
  });
});

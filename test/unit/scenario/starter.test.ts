import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.js';
import { scenarioStarterSource, writeScenarioStarter } from '../../../harness/scenario/starter.js';
import { importsOf, isPublicImport } from '../../support/entry-points.js';

// `new scenario`: the file it writes, where, under which extension, and what it refuses. (That the starter
// passes on a broker: test/integration/docs/authoring.test.ts.)
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-starter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, manifest?: object): string {
  const at = path.join(dir, name);
  mkdirSync(at, { recursive: true });
  if (manifest) writeFileSync(path.join(at, 'package.json'), JSON.stringify(manifest));
  return at;
}

describe('writeScenarioStarter', () => {
  it('writes <name>.ts in an ES module package, creating the directory, importing only the public package', () => {
    const { file } = writeScenarioStarter('order-retries', {
      dir: path.join(project('esm', { type: 'module' }), 'scenarios/nested'),
    });
    expect(path.basename(file)).toBe('order-retries.ts');
    const source = readFileSync(file, 'utf8');
    expect(source).toBe(scenarioStarterSource('order-retries'));
    expect(source).toContain("name: 'order-retries'");
    expect(importsOf(file)).toEqual(['gamelan-kafka-harness']);
    expect(importsOf(file).every(isPublicImport)).toBe(true);
  });

  it('writes <name>.mts in a CommonJS package, saying why', () => {
    const written = writeScenarioStarter('cjs-one', { dir: project('cjs', { type: 'commonjs' }) });
    expect(path.basename(written.file)).toBe('cjs-one.mts');
    expect(written.extensionReason).toContain('is not "type": "module"');
  });

  it('refuses to overwrite a scenario of that name, whatever its extension, and leaves it alone', () => {
    const at = project('taken', { type: 'module' });
    writeFileSync(path.join(at, 'mine.mjs'), '// mine\n');
    expect(() => writeScenarioStarter('mine', { dir: at })).toThrowError(ConfigError);
    expect(() => writeScenarioStarter('mine', { dir: at })).toThrowError(`${path.join(at, 'mine.mjs')} already exists`);
    expect(readFileSync(path.join(at, 'mine.mjs'), 'utf8')).toBe('// mine\n');
  });

  it.each(['Upper', 'under_score', '-dash-first', 'dots.in', '', 'ünï'])(
    'refuses the name %j, naming the allowed characters',
    (name) => {
      const error = (() => {
        try {
          writeScenarioStarter(name, { dir: path.join(dir, 'never') });
        } catch (e) {
          return e as ConfigError;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error?.code).toBe('CONFIG_INVALID_VALUE');
      expect(error?.message).toContain('use lower-case letters a-z, digits 0-9 and "-"');
    },
  );
});

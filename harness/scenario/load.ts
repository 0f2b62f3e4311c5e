import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { assertScenario } from './define.js';
import type { LoadedScenario } from './runner.js';

/** The scenarios that ship with the harness (scenarios/ beside harness/, in source and in dist). */
export const BUNDLED_SCENARIOS_DIR = path.resolve(import.meta.dirname, '../../scenarios');

const SCENARIO_FILE = /\.(ts|mts|js|mjs)$/;

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => SCENARIO_FILE.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort()
    .map((f) => path.join(dir, f));
}

async function importScenario(file: string): Promise<LoadedScenario> {
  const url = pathToFileURL(file).href;
  // TypeScript scenario files load through tsx, so users need no build step.
  const module = (/\.m?ts$/.test(file) ? await (await import('tsx/esm/api')).tsImport(url, import.meta.url) : await import(url)) as { default?: unknown };
  const exported = commonJsDefault(module.default) ?? module.default;
  assertScenario(exported, file);
  return { definition: exported, file };
}

/** A .ts file in a CommonJS package is compiled to CommonJS: its `export default` arrives as `module.exports.default`. */
function commonJsDefault(exports: unknown): unknown {
  const cjs = exports as { __esModule?: unknown; default?: unknown } | null | undefined;
  return typeof cjs === 'object' && cjs !== null && cjs.__esModule === true && 'default' in cjs ? cjs.default : undefined;
}

/** All bundled scenarios. */
export async function bundledScenarios(): Promise<LoadedScenario[]> {
  return Promise.all(filesIn(BUNDLED_SCENARIOS_DIR).map(importScenario));
}

/**
 * Resolve `run` arguments: bundled scenario names, scenario files, or directories of them.
 * No argument: every bundled scenario.
 */
export async function loadScenarios(namesOrPaths: readonly string[]): Promise<LoadedScenario[]> {
  const bundled = await bundledScenarios();
  if (namesOrPaths.length === 0) return bundled;
  const out: LoadedScenario[] = [];
  for (const arg of namesOrPaths) {
    const byName = bundled.find((s) => s.definition.name === arg);
    if (byName) {
      out.push(byName);
    } else if (existsSync(arg)) {
      const files = statSync(arg).isDirectory() ? filesIn(path.resolve(arg)) : [path.resolve(arg)];
      out.push(...(await Promise.all(files.map(importScenario))));
    } else {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `scenario "${arg}" is neither a bundled scenario nor a file or directory. Bundled: ${bundled.map((s) => s.definition.name).join(', ')}.`,
        { key: 'scenario', value: arg },
      );
    }
  }
  const names = out.map((s) => s.definition.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new ConfigError('CONFIG_INVALID_VALUE', `two scenarios are named "${duplicate}"; scenario names must be unique.`, { key: 'name', value: duplicate });
  return out;
}

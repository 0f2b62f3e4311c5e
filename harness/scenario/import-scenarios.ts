import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { OPT_IN_TAGS, SCENARIO_TAGS, type ScenarioTag } from './tags.js';
import type { ImportedScenario } from './runner.js';

/** The scenarios that ship with the harness (scenarios/ beside harness/, in source and in dist). */
export const BUNDLED_SCENARIOS_DIR = path.resolve(import.meta.dirname, '../../scenarios');

const SCENARIO_FILE = /\.(ts|mts|js|mjs)$/;
const SCENARIO_EXTENSIONS = '.ts, .mts, .js or .mjs';

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => SCENARIO_FILE.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Longest a scenario file may take to import (a top-level await kept waiting by a timer or socket), compile
 * included: generous, since a loaded machine compiling every bundled scenario at once takes seconds each.
 * GAMELAN_SCENARIO_IMPORT_TIMEOUT_MS sets another (a whole number of ms, 1 to 2^31-1).
 */
export const SCENARIO_IMPORT_TIMEOUT_MS = 60_000;
export const SCENARIO_IMPORT_TIMEOUT_ENV = 'GAMELAN_SCENARIO_IMPORT_TIMEOUT_MS';

function importTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[SCENARIO_IMPORT_TIMEOUT_ENV];
  if (text === undefined || text === '') return SCENARIO_IMPORT_TIMEOUT_MS;
  const ms = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(ms >= 1 && ms <= 2_147_483_647)) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${SCENARIO_IMPORT_TIMEOUT_ENV}=${JSON.stringify(text)} is not allowed: use a whole number of ms from 1 to 2147483647, or unset it (${SCENARIO_IMPORT_TIMEOUT_MS} ms).`,
      { key: SCENARIO_IMPORT_TIMEOUT_ENV, value: text },
    );
  }
  return ms;
}

/**
 * The import, or a ConfigError naming the file when its top-level await cannot settle. With nothing left to wait
 * on, Node would exit 13 without a word; 'beforeExit' is the moment the event loop ran dry with the import pending,
 * so it never will. An await kept alive by a timer or socket is cut after SCENARIO_IMPORT_TIMEOUT_MS.
 */
/** Imports waiting on their top level, told when the event loop runs dry (one listener for however many). */
const pendingImports = new Set<() => void>();
const onLoopEmpty = () => {
  for (const fail of [...pendingImports]) fail();
};

function settledImport<T>(file: string, importing: Promise<T>): Promise<T> {
  const timeoutMs = importTimeoutMs();
  return new Promise<T>((resolve, reject) => {
    const advice = 'A scenario file should only define its scenario at the top level; do the waiting in run().';
    const never = () =>
      reject(
        new ConfigError(
          'CONFIG_INVALID_VALUE',
          `${file}: the scenario file's top-level await never settles (nothing is left that could settle it). ${advice}`,
          { file, key: 'scenario' },
        ),
      );
    const timer = setTimeout(
      () =>
        reject(
          new ConfigError(
            'CONFIG_INVALID_VALUE',
            `${file}: the scenario file did not finish importing within ${timeoutMs / 1000} s (a top-level await still waiting; ${SCENARIO_IMPORT_TIMEOUT_ENV} sets another limit). ${advice}`,
            { file, key: 'scenario' },
          ),
        ),
      timeoutMs,
    );
    timer.unref(); // it must not keep the loop alive, or 'beforeExit' could never tell a dead await
    if (pendingImports.size === 0) process.on('beforeExit', onLoopEmpty);
    pendingImports.add(never);
    void importing.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      pendingImports.delete(never);
      if (pendingImports.size === 0) process.off('beforeExit', onLoopEmpty);
    });
  });
}

async function importScenario(file: string): Promise<ImportedScenario> {
  const url = pathToFileURL(file).href;
  let module: { default?: unknown };
  try {
    // TypeScript scenario files load through tsx, so users need no build step.
    const importing = /\.m?ts$/.test(file)
      ? import('tsx/esm/api').then(({ tsImport }) => tsImport(url, import.meta.url))
      : import(url);
    module = (await settledImport(file, importing)) as { default?: unknown };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw importFailure(file, error);
  }
  const exported = commonJsDefault(module.default) ?? module.default;
  if (exported === undefined) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${file}: the scenario file has no default export. Add \`export default defineScenario({ name, description, run })\`.`,
      { file, key: 'default export' },
    );
  }
  // The schema (zod) loads with the first scenario file, not for names and tags (`list no-such` answers at once).
  const define: typeof import('./define.js') = await import('./define.js');
  define.assertScenario(exported, file);
  return { definition: exported, file };
}

/** Why a scenario file could not be imported, said as bad input: a syntax error, or an error its top level threw. */
function importFailure(file: string, error: unknown): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  // esbuild (through tsx): "Transform failed with 1 error:\n<file>:<line>:<col>: ERROR: <what>"
  const syntax = /^(?:Transform failed with \d+ errors?:\n)?(.+?:\d+:\d+): ERROR: (.+)$/m.exec(message);
  if (syntax || error instanceof SyntaxError) {
    const where = syntax?.[1] ?? file;
    const what = syntax?.[2] ?? message;
    return new ConfigError(
      'CONFIG_PARSE_FAILED',
      `${where}: the scenario file does not compile: ${what}. Fix the syntax and run again.`,
      { file, key: 'scenario' },
      { cause: error },
    );
  }
  return new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${file}: the scenario file threw while it was imported: ${message.split('\n')[0]}. A scenario file should only define its scenario at the top level; do the work in run().`,
    { file, key: 'scenario' },
    { cause: error },
  );
}

/** A .ts file in a CommonJS package is compiled to CommonJS: its `export default` arrives as `module.exports.default`. */
function commonJsDefault(exports: unknown): unknown {
  const cjs = exports as { __esModule?: unknown; default?: unknown } | null | undefined;
  return typeof cjs === 'object' && cjs !== null && cjs.__esModule === true && 'default' in cjs
    ? cjs.default
    : undefined;
}

/**
 * The bundled scenarios' names, read from their file names (each file's scenario has its file's name; a
 * test checks it), so a name that is not one is refused without importing every scenario.
 */
export function bundledScenarioNames(): string[] {
  return filesIn(BUNDLED_SCENARIOS_DIR).map((file) => path.basename(file).replace(SCENARIO_FILE, ''));
}

/** All bundled scenarios. */
export async function bundledScenarios(): Promise<ImportedScenario[]> {
  return Promise.all(filesIn(BUNDLED_SCENARIOS_DIR).map(importScenario));
}

export interface ImportScenariosOptions {
  /** Also every bundled scenario with one of these tags (`run --tag chaos`). */
  readonly tags?: readonly string[];
  /** Every bundled scenario, opt-in tags included (`run --all`). */
  readonly all?: boolean;
}

/**
 * Resolve `run` arguments: bundled scenario names, scenario files, or directories of them, plus the bundled
 * scenarios with one of `tags`. Nothing named: every bundled scenario but those tagged `slow` or `chaos`
 * (those run when named, by tag, or with `all`).
 */
export async function importScenarios(
  namesOrPaths: readonly string[],
  options: ImportScenariosOptions = {},
): Promise<ImportedScenario[]> {
  const tags = options.tags ?? [];
  const unknownTag = tags.find((t) => !(SCENARIO_TAGS as readonly string[]).includes(t));
  if (unknownTag !== undefined) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `--tag ${JSON.stringify(unknownTag)} is not a scenario tag: use one of ${SCENARIO_TAGS.join(', ')}.`,
      { key: 'tag', value: unknownTag },
    );
  }
  // The bundled scenarios are imported only when needed: `run ./my-scenario.ts` does not pay for them.
  let loadedBundled: Promise<ImportedScenario[]> | undefined;
  const bundledOnce = () => (loadedBundled ??= bundledScenarios());
  if (options.all) return bundledOnce();
  const tagged =
    tags.length > 0 ? (await bundledOnce()).filter((s) => s.definition.tags?.some((t) => tags.includes(t))) : [];
  if (namesOrPaths.length === 0 && tags.length === 0)
    return (await bundledOnce()).filter((s) => !s.definition.tags?.some((t) => OPT_IN_TAGS.includes(t as ScenarioTag)));
  const out: ImportedScenario[] = [...tagged];
  for (const arg of namesOrPaths) {
    // A scenario name is kebab-case; what has a slash or an extension and exists is a path.
    const looksLikePath = /[\\/]|\.[A-Za-z0-9]+$/.test(arg) && existsSync(arg);
    const byName =
      looksLikePath || !bundledScenarioNames().includes(arg)
        ? undefined
        : (await bundledOnce()).find((s) => s.definition.name === arg);
    if (byName) {
      if (!out.includes(byName)) out.push(byName);
    } else if (existsSync(arg)) {
      const isDirectory = statSync(arg).isDirectory();
      const files = isDirectory ? filesIn(path.resolve(arg)) : [path.resolve(arg)];
      if (isDirectory && files.length === 0) {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          `scenario directory ${arg} holds no scenario files (${SCENARIO_EXTENSIONS}). Add one, or name another directory.`,
          {
            key: 'scenario',
            value: arg,
          },
        );
      }
      if (!isDirectory && !SCENARIO_FILE.test(arg)) {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          `scenario file ${arg} has the extension "${path.extname(arg) || '(none)'}": a scenario file is ${SCENARIO_EXTENSIONS}.`,
          {
            file: arg,
            key: 'scenario',
            value: arg,
          },
        );
      }
      // One after the other: a file that fails is named alone, not raced by the others.
      for (const file of files) out.push(await importScenario(file));
    } else {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `scenario "${arg}" is neither a bundled scenario nor a file or directory. Bundled: ${bundledScenarioNames().join(', ')}.`,
        { key: 'scenario', value: arg },
      );
    }
  }
  if (out.length === 0)
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      'no scenario to run: name bundled scenarios, files or directories of them.',
      { key: 'scenario' },
    );
  const names = out.map((s) => s.definition.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate)
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `two scenarios are named "${duplicate}"; scenario names must be unique.`,
      { key: 'name', value: duplicate },
    );
  return out;
}

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error a build script in plain JavaScript, without type declarations
import { bundleCliRuntime } from '../../../scripts/bundle-cli-runtime.mjs';

// The built CLI loads yargs as one bundled module (scripts/bundle-cli-runtime.mjs, a build step): Node 20's
// ES module loader costs ~1 ms per file and yargs is ~50 of them, so `--help` and every bad input paid for
// them. Checked structurally here; `npm run bench:cli` prints the times.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
// Inside the project, so the bundle resolves the installed yargs (its locales) as dist/ does.
const cacheDir = path.join(root, 'node_modules/.cache');
mkdirSync(cacheDir, { recursive: true });
const dir = mkdtempSync(path.join(cacheDir, 'gamelan-bundle-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles the re-export tsc emits (the source file is one already) into dir and returns the bundle's path. */
async function bundled(): Promise<string> {
  const file = path.join(dir, 'yargs-runtime.js');
  copyFileSync(path.join(root, 'harness/cli/yargs-runtime.ts'), file);
  expect(await bundleCliRuntime(file)).toBe(true);
  return file;
}

describe('the built CLI loads yargs as one module', () => {
  it('the bundle imports nothing but Node built-ins, and building it twice leaves it as it is', async () => {
    const file = await bundled();
    const code = readFileSync(file, 'utf8');
    const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(imports.length).toBeGreaterThan(0); // the pattern matches esbuild's output
    expect(
      imports.filter(
        (specifier) =>
          !/^(node:)?[a-z_]+$/.test(specifier) || !createRequire(import.meta.url)('node:module').isBuiltin(specifier),
      ),
    ).toEqual([]);
    expect(code).not.toContain('Dynamic require of');
    expect(await bundleCliRuntime(file)).toBe(false);
  });

  it('parses, and yargs still finds its translations (locales) from the installed package', async () => {
    const file = await bundled();
    // A recommendation is one of yargs' translated messages: German proves the locale files were read.
    const script = `
      const { yargs } = await import(${JSON.stringify(pathToFileURL(file).href)});
      yargs(['upp']).locale('de').command('up', 'start').recommendCommands().strict().exitProcess(false)
        .fail((message) => { if (message) console.log(message); }).parse();`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(stdout.split('\n')[0]).toBe('Meintest du up?');
  });

  it('every build runs the step: npm run build and the incremental build of npm run harness', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toMatch(
      /tsc .*&& node scripts\/bundle-cli-runtime\.mjs && node scripts\/copy-build-assets\.mjs/,
    );
    expect(readFileSync(path.join(root, 'scripts/harness.mjs'), 'utf8')).toContain(
      "'scripts/bundle-cli-runtime.mjs', 'scripts/copy-build-assets.mjs'",
    );
  });

  // string-width 7 (cliui's and wrap-ansi's) built a large emoji regex for every character measured (~0.5 ms each,
  // 20-50 ms a help page); string-width 8 parses large Unicode-set regexes as it loads (~30 ms a copy).
  it('cliui and wrap-ansi measure text with fast-string-width (package.json overrides), and the bundle holds no string-width', async () => {
    const packageOf = (entry: string) => {
      let dir = path.dirname(entry);
      while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
      return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string }).name;
    };
    const cliui = createRequire(createRequire(import.meta.url).resolve('yargs')).resolve('cliui');
    const wrapAnsi = createRequire(cliui).resolve('wrap-ansi');
    for (const from of [cliui, wrapAnsi])
      expect(packageOf(createRequire(from).resolve('string-width')), from).toBe('fast-string-width');
    expect(readFileSync(await bundled(), 'utf8')).not.toContain('RGI_Emoji');
  });
});

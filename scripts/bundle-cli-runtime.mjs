// A build step (after tsc, before copy-build-assets): replaces dist/harness/cli/yargs-runtime.js, a
// re-export of yargs, with one file holding yargs and its dependencies, bundled by esbuild. The CLI then
// loads one module for its argument parsing instead of dozens (the ES module loader pays per file),
// with one text-width function instead of three copies of string-width.
// Nothing else is bundled: harness modules stay separate files (one copy of each error class).
// Without esbuild (it is a dev dependency) the re-export stays: slower to start, the same behaviour.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '// bundled by scripts/bundle-cli-runtime.mjs';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `file` (a re-export of yargs) in place; returns false when it already is a bundle. */
export async function bundleCliRuntime(file = path.join(root, 'dist/harness/cli/yargs-runtime.js')) {
  if (readFileSync(file, 'utf8').startsWith(MARKER)) return false;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write(
      'bundle-cli-runtime: esbuild is not installed; the CLI loads yargs file by file (slower start)\n',
    );
    return false;
  }
  const yargsDir = path.dirname(fileURLToPath(import.meta.resolve('yargs')));
  const shim = path.join(yargsDir, 'lib/platform-shims/esm.mjs');
  // One text-width function for yargs, cliui and wrap-ansi: the one package.json's overrides give cliui
  // (fast-string-width). string-width 8 parses large Unicode-set regular expressions when it loads.
  const cliui = createRequire(shim).resolve('cliui');
  const stringWidth = createRequire(cliui).resolve('string-width');
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    absWorkingDir: root,
    plugins: [
      {
        name: 'yargs-in-place',
        setup(build) {
          build.onResolve({ filter: /^string-width$/ }, () => ({ path: stringWidth }));
          // yargs finds its locales (y18n) and the caller's package.json from its own file's location:
          // keep that the installed yargs, not dist/.
          build.onLoad({ filter: /platform-shims[\\/]esm\.mjs$/ }, (args) => {
            if (args.path !== shim) return undefined;
            const source = readFileSync(shim, 'utf8');
            const located = "new URL('./lib/platform-shims/esm.mjs', import.meta.resolve('yargs'))";
            const patched = source
              .replaceAll('fileURLToPath(import.meta.url)', `fileURLToPath(${located})`)
              .replaceAll('createRequire(import.meta.url)', `createRequire(${located})`);
            if (patched.includes('import.meta.url'))
              throw new Error(`bundle-cli-runtime: ${shim} uses import.meta.url in a way this step does not know`);
            return { contents: patched, loader: 'js', resolveDir: path.dirname(shim) };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  // esbuild turns a require() of a module it could not bundle into a helper that throws in ES modules; none may remain.
  if (code.includes('Dynamic require of'))
    throw new Error('bundle-cli-runtime: the bundle still calls require(); a dependency changed');
  writeFileSync(file, `${MARKER}\n${code}`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCliRuntime();

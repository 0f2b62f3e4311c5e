// npm run harness -- <args>: the built CLI (dist/) when it is current, else an incremental build first
// (tsc --incremental, a few seconds for a changed file; `npm run build` shares its build info) rather
// than tsx compiling every module on every call. When the build fails (a type error mid-edit), the
// sources run through tsx, with a note why. The CLI runs in this process (imported, not spawned): no
// second Node start, and signals, stdio and the exit code are its own.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Written by scripts/copy-build-assets.mjs, the last step of every build (npm run build, or the one below).
const stamp = path.join(root, 'dist/.harness-built');
const entry = path.join(root, 'dist/harness/cli/main.js');
// What tsconfig.build.json compiles, and the build inputs themselves.
const sources = ['harness', 'fixtures', 'scenarios', 'mocks'];
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/copy-build-assets.mjs'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isCurrent() {
  if (!existsSync(stamp) || !existsSync(entry)) return false;
  const built = statSync(stamp).mtimeMs;
  const newest = Math.max(
    ...sources.map((d) => newestMtime(path.join(root, d))),
    ...inputs.map((f) => statSync(path.join(root, f)).mtimeMs),
  );
  return newest <= built;
}

function build() {
  const started = Date.now();
  process.stderr.write('gamelan-harness: sources changed since the last build; building (incremental)…\n');
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--incremental',
      '--tsBuildInfoFile',
      'dist/.tsbuildinfo',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) {
    process.stderr.write(
      `gamelan-harness: the build failed, running the sources through tsx instead:\n${(tsc.stdout + tsc.stderr).split('\n').slice(0, 5).join('\n')}\n`,
    );
    return false;
  }
  for (const step of ['scripts/bundle-kafkajs.mjs', 'scripts/bundle-cli-runtime.mjs', 'scripts/copy-build-assets.mjs'])
    spawnSync(process.execPath, [path.join(root, step)], { cwd: root, stdio: 'inherit' });
  process.stderr.write(`gamelan-harness: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

// process.argv stays [node, this script, ...args]: the CLI reads its arguments from index 2 (hideBin).
if (isCurrent() || build()) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'harness/cli/main.ts')).href);
}

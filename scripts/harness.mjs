// npm run harness -- <args>: the built CLI (dist/) when it is current, else an incremental build first
// (tsc --incremental, a few seconds for a changed file) rather than tsx compiling every module on every
// call. When the build fails (a type error mid-edit), the sources run through tsx, with a note why.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
  const newest = Math.max(...sources.map((d) => newestMtime(path.join(root, d))), ...inputs.map((f) => statSync(path.join(root, f)).mtimeMs));
  return newest <= built;
}

function build() {
  const started = Date.now();
  process.stderr.write('gamelan-harness: sources changed since the last build; building (incremental)…\n');
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (tsc.status !== 0) {
    process.stderr.write(`gamelan-harness: the build failed, running the sources through tsx instead:\n${(tsc.stdout + tsc.stderr).split('\n').slice(0, 5).join('\n')}\n`);
    return false;
  }
  spawnSync(process.execPath, [path.join(root, 'scripts/copy-build-assets.mjs')], { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stderr.write(`gamelan-harness: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

const args = process.argv.slice(2);
const useDist = isCurrent() || build();
const command = useDist ? [entry, ...args] : ['--import', 'tsx', path.join(root, 'harness/cli/main.ts'), ...args];
// The CLI replaces this process as closely as Node allows: same stdio, its exit code, and signals
// passed on (Ctrl-C reaches both through the terminal's process group; a kill does not).
const { spawn } = await import('node:child_process');
const child = spawn(process.execPath, command, { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => {}); // the child gets the terminal's SIGINT itself and decides when to exit
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));

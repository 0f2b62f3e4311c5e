// npm run bench:cli — how long the CLI takes to answer before it does any work, as hyperfine would
// measure it: repeated runs of the built CLI (dist/) and of the sources through tsx, wall clock per
// run, min / median / p90. Figures, not a test: the machine's load moves them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const dist = path.join(root, 'dist/harness/cli/main.js');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');

const cases = [
  ['--help', ['--help']],
  ['bad input (up --brokers 0)', ['up', '--brokers', '0']],
  ['bad input (run --json without a path)', ['run', '--json']],
  ['up --help', ['up', '--help']],
];

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: result.status };
}

function measure(args) {
  time(args); // warm the file cache
  const samples = Array.from({ length: runs }, () => time(args));
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return { min: ms[0], median: at(0.5), p90: at(0.9), status: samples[0].status };
}

const fmt = (n) => `${Math.round(n)}`.padStart(6);
const rows = [];
const baseline = measure(['-e', '0']);
rows.push(['node -e 0 (the floor)', 'node', baseline]);
for (const [label, args] of cases) {
  if (existsSync(dist)) rows.push([label, 'dist', measure([dist, ...args])]);
  rows.push([label, 'tsx', measure([tsx, 'harness/cli/main.ts', ...args])]);
}

console.log(`CLI start-up, ${runs} runs each (ms, wall clock) — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(2)}, node ${process.version}`);
if (!existsSync(dist)) console.log('(no dist/: run `npm run build` to measure the built CLI)');
console.log(`${'case'.padEnd(42)} ${'from'.padEnd(5)} ${'min'.padStart(6)} ${'median'.padStart(6)} ${'p90'.padStart(6)}  exit`);
for (const [label, from, r] of rows) console.log(`${label.padEnd(42)} ${from.padEnd(5)} ${fmt(r.min)} ${fmt(r.median)} ${fmt(r.p90)}  ${r.status}`);

// npm run bench:cli — how long the CLI takes, as hyperfine would measure it: repeated runs, wall clock
// per run, min / median / p90, beside the targets (issue 10: --help and bad input within 0.3 s from the
// built package; `up` to topics ready within 2.0 s, native, one broker, jars cached). Figures, not a
// test: the machine's load moves them (the load average is printed). Knobs: BENCH_RUNS (9, per CLI
// case), BENCH_UP_RUNS (5; 0 skips `up`), BENCH_TSX=1 (also the sources through tsx, for comparison).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 9);
const upRuns = Number(process.env.BENCH_UP_RUNS ?? 5);
const withTsx = process.env.BENCH_TSX === '1';
const dist = path.join(root, 'dist/harness/cli/main.js');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const CLI_TARGET_MS = 300;
const UP_TARGET_MS = 2_000;

if (!existsSync(dist)) {
  console.error('bench:cli measures the built CLI: run `npm run build` first.');
  process.exit(1);
}

// One bad input per command, each refused with exit 2 before anything starts.
const BAD_INPUT = {
  up: ['up', '--brokers', '0'],
  down: ['down', '--state-file'],
  fault: ['fault', 'nope'],
  topics: ['topics', '--bootstrap-servers', 'x'],
  doctor: ['doctor', '--bogus'],
  run: ['run', '--json'],
  report: ['report'],
  new: ['new', 'x', 'y'],
  list: ['list', 'no-such-scenario'],
  contract: ['contract', '--type', 'x'],
  load: ['load', '--rate', 'x'],
  lag: ['lag'],
  'reset-offsets': ['reset-offsets'],
  dlq: ['dlq', '--max', 'lots'],
  tail: ['tail', 'tasks', '--max', '0'],
  produce: ['produce', 'nope'],
  conformance: ['conformance', '--dialect', 'x'],
};

const env = { ...process.env, NO_COLOR: '1' };
delete env.GAMELAN_KAFKA_PROVIDER;
delete env.GAMELAN_KAFKA_BOOTSTRAP_SERVERS;
delete env.KAFKA_BOOTSTRAP_SERVERS;

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore', timeout: 30_000, env });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: result.status };
}

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { min: sorted[0], median: at(0.5), p90: at(0.9) };
}

function measure(args, count = runs) {
  time(args); // warm the file cache
  const samples = Array.from({ length: count }, () => time(args));
  return { ...stats(samples.map((s) => s.ms)), status: samples[0].status };
}

const fmt = (n) => (n === undefined ? '-' : `${Math.round(n)}`).padStart(6);
const verdict = (median, target) => (median <= target ? 'met' : 'NOT met');
const row = (label, from, r, target) =>
  `${label.padEnd(44)} ${from.padEnd(5)} ${fmt(r.min)} ${fmt(r.median)} ${fmt(r.p90)}  ${String(r.status).padStart(4)}  ${target ? `${String(target).padStart(5)}  ${verdict(r.median, target)}` : ''}`;

const { COMMANDS } = await import(pathToFileURL(path.join(root, 'dist/harness/cli/commands/index.js')).href);
const names = COMMANDS.map((c) => c.command.split(' ')[0]);

console.log(
  `CLI start-up, ${runs} runs each (ms, wall clock) — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(2)}, node ${process.version}`,
);
console.log(
  `${'case'.padEnd(44)} ${'from'.padEnd(5)} ${'min'.padStart(6)} ${'median'.padStart(6)} ${'p90'.padStart(6)}  exit  target`,
);
console.log(row('node -e 0 (the floor)', 'node', measure(['-e', '0'])));
const misses = [];
const report = (label, args, target) => {
  const r = measure([dist, ...args]);
  console.log(row(label, 'dist', r, target));
  if (r.median > target) misses.push(label);
  if (withTsx) console.log(row(label, 'tsx', measure([tsx, 'harness/cli/main.ts', ...args])));
};
report('--help', ['--help'], CLI_TARGET_MS);
for (const name of names) report(`${name} --help`, [name, '--help'], CLI_TARGET_MS);
for (const name of names) {
  const args = BAD_INPUT[name];
  if (args) report(`bad input: ${args.join(' ')}`, args, CLI_TARGET_MS);
  else console.log(`${`bad input: ${name}`.padEnd(44)} (no case in scripts/bench-cli.mjs: add one)`);
}

/** `up --kafka native --verbose` until its summary is printed (topics ready), then Ctrl-C. */
function upOnce() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gamelan-bench-up-'));
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [dist, 'up', '--kafka', 'native', '--verbose', '--state-file', path.join(dir, 'up.json')],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let readyMs;
  child.stderr.on('data', (chunk) => (err += chunk));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (readyMs === undefined && out.includes('Press Ctrl-C')) {
      readyMs = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill('SIGINT');
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      // `up --verbose` prints its phases: "  1.23 s  +0.45 s  what".
      const phases = [...err.matchAll(/^\s+([\d.]+) s\s+\+([\d.]+) s\s+(.+)$/gm)].map((m) => ({
        what: m[3].replace(/ \([\d.]+ s\)$/, ''),
        ms: Number(m[2]) * 1000,
      }));
      resolve(
        readyMs === undefined
          ? { error: `up exited (${code}) before it was ready:\n${err.split('\n').slice(-8).join('\n')}` }
          : { readyMs, phases },
      );
    });
  });
}

if (upRuns > 0) {
  console.log(
    `\nup (native, one broker, jars cached) to topics ready, ${upRuns} runs (ms, wall clock from the command) — load ${os.loadavg()[0].toFixed(2)}`,
  );
  await upOnce(); // warm: builds the launcher and records the class-data archive when they are missing
  const samples = [];
  for (let i = 0; i < upRuns; i++) {
    const result = await upOnce();
    if (result.error) {
      console.log(result.error);
      break;
    }
    samples.push(result);
  }
  if (samples.length > 0) {
    const r = { ...stats(samples.map((s) => s.readyMs)), status: 0 };
    console.log(
      `${'case'.padEnd(44)} ${'from'.padEnd(5)} ${'min'.padStart(6)} ${'median'.padStart(6)} ${'p90'.padStart(6)}  exit  target`,
    );
    console.log(row('up → topics ready', 'dist', r, UP_TARGET_MS));
    if (r.median > UP_TARGET_MS) misses.push('up → topics ready');
    // The phases `up --verbose` measured, median of each.
    for (const what of samples[0].phases.map((p) => p.what)) {
      const ms = samples.map((s) => s.phases.find((p) => p.what === what)?.ms).filter((v) => v !== undefined);
      console.log(`  ${what.padEnd(42)} median ${fmt(stats(ms).median)} ms`);
    }
  }
}

console.log(
  misses.length === 0 ? '\nEvery target met (medians).' : `\nTargets NOT met (medians): ${misses.join('; ')}`,
);

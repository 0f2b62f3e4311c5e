// `npm run bench:scenarios`: wall time of the whole suite from a cold stack (jars cached) and of each
// scenario, median of N runs (default 3, BENCH_RUNS), with each scenario's own measurements.
import { cpus } from 'node:os';
import { importScenarios } from './import-scenarios.js';
import { runScenarios } from './runner.js';
import { startStack } from '../stack/start-stack.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scenarios = await importScenarios([]); // the default set, as `npm test` plays it
const suite: number[] = [];
const boot: number[] = [];
const per = new Map<string, number[]>();
const measurements = new Map<string, unknown>();
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const stack = await startStack({ kafka: (process.env.GAMELAN_TEST_KAFKA as 'native' | undefined) ?? 'native' });
  boot.push(performance.now() - t0);
  try {
    const summary = await runScenarios(scenarios, { broker: stack.broker, config: stack.config.gamelan });
    for (const s of summary.scenarios) {
      per.set(s.name, [...(per.get(s.name) ?? []), s.durationMs]);
      measurements.set(s.name, {
        status: s.status,
        steps: s.steps.map((st) => `${st.name}: ${st.durationMs} ms`),
        ...s.measurements,
      });
    }
  } finally {
    await stack.stop();
  }
  suite.push(performance.now() - t0);
  process.stderr.write(`run ${i + 1}/${runs}: ${(suite.at(-1)! / 1000).toFixed(1)} s\n`);
}
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}`);
console.log(
  `suite (boot + 4 scenarios + stop): median ${(median(suite) / 1000).toFixed(1)} s over ${runs} runs; broker+topics ready: median ${Math.round(median(boot))} ms`,
);
for (const [name, xs] of per)
  console.log(
    `  ${name.padEnd(16)} median ${(median(xs) / 1000).toFixed(1)} s  (${xs.map((x) => (x / 1000).toFixed(1)).join(', ')})`,
  );
console.log('what each scenario spent its time on (last run):');
for (const [name, m] of measurements) console.log(`  ${name}: ${JSON.stringify(m)}`);

// `npm run bench:chaos`: the long versions of the chaos family (more runs, more crashes, longer faults) on one
// 3-broker native cluster advertising the fault proxy, as `run --tag chaos --long` plays them; prints each
// scenario's figures (time to recover, redeliveries, dead letters) and its history check. Exit 1 when one fails.
// BENCH_CHAOS_LENGTH=short plays the CI-sized versions instead; BENCH_CHAOS=name,name picks scenarios.
import { cpus } from 'node:os';
import { LONG_CHAOS_ENV } from './length.js';

if (process.env.BENCH_CHAOS_LENGTH !== 'short') process.env[LONG_CHAOS_ENV] = '1'; // before the scenarios are imported

const [{ importScenarios }, { runScenarios }, { stackForScenarios }, { startStack }] = await Promise.all([
  import('./import-scenarios.js'),
  import('./runner.js'),
  import('../stack/fault-stack.js'),
  import('../stack/start-stack.js'),
]);

const picked = process.env.BENCH_CHAOS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const chaos = (await importScenarios([], { tags: ['chaos'] })).filter(
  (s) => !picked || picked.includes(s.definition.name),
);
const forScenarios = await stackForScenarios(
  chaos.map((s) => s.definition.needs),
  { kafka: 'native' },
);
const stack = await startStack(forScenarios.options);
let failed = 0;
try {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}; ${process.env[LONG_CHAOS_ENV] === '1' ? 'long' : 'short'} versions, 3 native brokers\n`,
  );
  for (const scenario of chaos) {
    const summary = await runScenarios([scenario], {
      broker: stack.broker,
      config: stack.config.gamelan,
      toxiproxy: forScenarios.toxiproxy!,
    });
    const result = summary.scenarios[0]!;
    if (result.status !== 'passed') failed++;
    console.log(
      `${result.name}: ${result.status.toUpperCase()} in ${(result.durationMs / 1000).toFixed(1)} s${result.error ? ` (${result.error})` : ''}`,
    );
    for (const [what, value] of Object.entries(result.measurements ?? {}))
      console.log(`  ${what}: ${typeof value === 'number' ? value.toLocaleString('en-US') : String(value)}`);
    const h = result.history;
    if (h) console.log(`  history: ${JSON.stringify(h.stats)}; anomalies ${JSON.stringify(h.counts)}`);
  }
} finally {
  await stack.stop();
  await forScenarios.stop();
}
process.exitCode = failed > 0 ? 1 : 0;

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseFaultProxy } from '../../harness/faults/index.js';
import { stackForScenarios, type StackForScenarios } from '../../harness/stack/fault-stack.js';
import { importScenarios } from '../../harness/scenario/import-scenarios.js';
import { runScenarios, type ImportedScenario } from '../../harness/scenario/runner.js';
import { replayCommandFor } from '../../harness/scenario/replay.js';
import { parseSeed, randomSeed, SEED_ENV } from '../../harness/scenario/seed.js';
import { startStack, type StartedStack } from '../../harness/stack/start-stack.js';
import { nativeUnavailable } from '../support/broker.js';

// The chaos family on one 3-broker native cluster advertising the fault proxy, as `run --tag chaos` plays it:
// each scenario passes, which includes the history checker finding nothing lost and nothing completed twice
// (chaos scenarios fail on any anomaly). Figures are printed per scenario.

const chaos: ImportedScenario[] = await importScenarios([], { tags: ['chaos'] });
// One seed for the file (GAMELAN_SEED pins it, e.g. to replay a CI failure), chosen before the first try: vitest's
// retry calls the test again, and the retry must replay the same draws (same fault timing, victims and data).
const seed = process.env[SEED_ENV] === undefined ? randomSeed() : parseSeed(process.env[SEED_ENV], SEED_ENV);
console.log(
  `chaos scenarios: seed ${seed} (${process.env[SEED_ENV] === undefined ? 'drawn at random' : `from ${SEED_ENV}`}); replay one with GAMELAN_SEED=${seed} or: npx gamelan-harness run <name> --seed ${seed}`,
);
const toxiproxy = await chooseFaultProxy(); // none only when GAMELAN_FAULT_PROXY forces a missing one
const unavailable = toxiproxy.kind === 'none' ? toxiproxy.reason : await nativeUnavailable();
if (unavailable) console.warn(`[skip] chaos scenarios: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('chaos scenarios on 3 native brokers with the fault proxy', () => {
  let forScenarios: StackForScenarios;
  let stack: StartedStack;

  beforeAll(async () => {
    forScenarios = await stackForScenarios(
      chaos.map((s) => s.definition.needs),
      { kafka: 'native' },
    );
    stack = await startStack(forScenarios.options);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await forScenarios?.stop();
  });

  it('are the six of the family, tagged chaos and left out of the default set', async () => {
    expect(chaos.map((s) => s.definition.name).sort()).toEqual([
      'chaos-broker-restart',
      'chaos-crash-storm',
      'chaos-executor-partition',
      'chaos-leader-failover',
      'chaos-poison-storm',
      'chaos-slow-network',
    ]);
    expect((await importScenarios([])).some((s) => s.definition.tags?.includes('chaos'))).toBe(false);
    expect(stack.broker.brokerCount).toBe(3);
    expect(stack.broker.proxiedBootstrapServers).toHaveLength(3);
  });

  // One retry: a broker failover under CI load has shown rare slow recoveries and once an outOfOrder the checker
  // now explains (README "Chaos scenarios"); a scenario must still pass on a fresh try. The retry replays the
  // same seed (the same planned faults and data; only the broker's timing differs), so a pass on the retry says
  // the failure was timing, and the printed seed replays it: `run <name> --seed N`, or pin it in a test
  // (test/scenarios/seeded-chaos.test.ts). A failed try's reason and steps are printed here, since vitest shows
  // only the try that passed.
  const tries = new Map<string, number>();
  it.each(chaos.map((s) => [s.definition.name, s] as const))(
    '%s: passes, nothing lost, nothing completed twice',
    { timeout: 300_000, retry: 1 },
    async (_name, scenario) => {
      const replay = replayCommandFor([{ name: scenario.definition.name, file: scenario.file }], seed);
      const attempt = (tries.get(scenario.definition.name) ?? 0) + 1;
      tries.set(scenario.definition.name, attempt);
      console.log(`${scenario.definition.name}: try ${attempt}, seed ${seed}`);
      const summary = await runScenarios([scenario], {
        broker: stack.broker,
        config: stack.config.gamelan,
        toxiproxy: forScenarios.toxiproxy!,
        seed,
      });
      const [result] = summary.scenarios;
      expect(result?.seed).toBe(seed);
      console.log(
        `${scenario.definition.name}: ${result?.status} in ${result?.durationMs} ms (seed ${seed}); ${JSON.stringify(result?.measurements)}; history ${JSON.stringify(result?.history?.stats)}; planned faults ${JSON.stringify(result?.faults?.planned ?? [])}`,
      );
      if (result?.status !== 'passed') {
        console.log(
          `${scenario.definition.name} failed with seed ${seed} (try ${attempt}; replay: ${replay}): ${result?.error ?? '(no error)'}; steps ${JSON.stringify(result?.steps)}; ` +
            `faults ${JSON.stringify(result?.faults)}; anomalies ${JSON.stringify(result?.history?.counts)} ${JSON.stringify(result?.history?.examples)}`,
        );
      }
      expect(result?.error ?? '', `seed ${seed} (replay: ${replay}); steps: ${JSON.stringify(result?.steps)}`).toBe('');
      expect(result?.status).toBe('passed');
      expect(result?.history?.policy).toBe('fail');
      expect(result?.history?.counts.lost).toBe(0);
      expect(result?.history?.counts.duplicated).toBe(0);
    },
  );
});

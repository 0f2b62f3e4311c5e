import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformaticNodeProblem } from '../../harness/clients/client-choice.js';
import { chooseFaultProxy } from '../../harness/faults/index.js';
import { bundledScenarios } from '../../harness/scenario/import-scenarios.js';
import { replayCommandFor } from '../../harness/scenario/replay.js';
import { type ImportedScenario, runScenarios } from '../../harness/scenario/runner.js';
import { randomSeed } from '../../harness/scenario/seed.js';
import { stackForScenarios, type StackForScenarios } from '../../harness/stack/fault-stack.js';
import { startStack, type StartedStack } from '../../harness/stack/start-stack.js';
import { nativeUnavailable } from '../support/broker.js';
import { runCli } from '../support/cli.js';

// Every bundled scenario but the slow one, with the harness's clients on @platformatic/kafka (`run --client
// platformatic`), on one 3-broker native cluster advertising the fault proxy: the four pass, and so do the chaos
// scenarios it can be faulted for through the advertised lane; the one that faults a single client's lane is
// skipped with a reason naming kafkajs, not played unfaulted. Then `load` and `contract --client platformatic`
// once each on the same cluster. Node 22.22+/24.6+ (CI's Node 24 part); elsewhere it skips and says why.

const NEEDS_CLIENT_LANES = ['chaos-executor-partition'];
const seed = randomSeed();
const toxiproxy = await chooseFaultProxy();
const unavailable =
  platformaticNodeProblem() ?? (toxiproxy.kind === 'none' ? toxiproxy.reason : await nativeUnavailable());
if (unavailable) console.warn(`[skip] scenarios with --client platformatic: ${unavailable}`);
// Loaded only where they play: importing every scenario file costs seconds.
const scenarios: ImportedScenario[] = unavailable
  ? []
  : (await bundledScenarios()).filter((s) => !s.definition.tags?.includes('slow'));

describe.skipIf(unavailable !== undefined)('bundled scenarios, load and contract with --client platformatic', () => {
  let forScenarios: StackForScenarios;
  let stack: StartedStack;
  const env = process.env.GAMELAN_KAFKA_CLIENT;

  beforeAll(async () => {
    // What `--client platformatic` does: the process's choice, which the child executors inherit.
    process.env.GAMELAN_KAFKA_CLIENT = 'platformatic';
    forScenarios = await stackForScenarios(
      scenarios.map((s) => s.definition.needs),
      { kafka: 'native', client: 'platformatic' },
    );
    stack = await startStack(forScenarios.options);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await forScenarios?.stop();
    if (env === undefined) delete process.env.GAMELAN_KAFKA_CLIENT;
    else process.env.GAMELAN_KAFKA_CLIENT = env;
  });

  it.each(scenarios.map((s) => [s.definition.name, s] as const))(
    '%s',
    { timeout: 300_000, retry: 1 },
    async (name, scenario) => {
      const summary = await runScenarios([scenario], {
        broker: stack.broker,
        config: stack.config.gamelan,
        toxiproxy: forScenarios.toxiproxy!,
        advertised: forScenarios.proxies!,
        seed,
      });
      const [result] = summary.scenarios;
      console.log(
        `${name} (--client platformatic): ${result?.status} in ${result?.durationMs} ms; replay: ${replayCommandFor([{ name, file: scenario.file }], seed)} --client platformatic`,
      );
      if (NEEDS_CLIENT_LANES.includes(name)) {
        expect(result?.status).toBe('skipped');
        expect(result?.skipReason).toMatch(
          /needs a fault lane per client .* only --client kafkajs has: @platformatic\/kafka 2\.12\.1 has no public socket hook/,
        );
        return;
      }
      expect(result?.error ?? '', `seed ${seed}; steps: ${JSON.stringify(result?.steps)}`).toBe('');
      expect(result?.status).toBe('passed');
      if (scenario.definition.tags?.includes('chaos')) {
        expect(result?.history?.counts.lost).toBe(0);
        expect(result?.history?.counts.duplicated).toBe(0);
      }
    },
  );

  const cluster = () => ['--bootstrap-servers', stack.broker.bootstrapServers.join(','), '--client', 'platformatic'];

  it('load --client platformatic: every task answered once', async () => {
    const result = await runCli(['load', ...cluster(), '--tasks', '500'], { timeoutMs: 180_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/500 succeeded, 0 failed; lost 0, duplicated 0/);
    expect(result.stdout).toMatch(/load: 500 tasks against .*\(platformatic client, classic group protocol\)/);
  }, 200_000);

  it('contract --client platformatic: a well-behaved executor passes every case', async () => {
    const executor = `${path.join('node_modules', '.bin', 'tsx')} ${path.join('test', 'integration', 'cli', 'report-executor.ts')}`;
    const result = await runCli(['contract', ...cluster(), '--executor-cmd', executor, '--type', 'payment-processor'], {
      timeoutMs: 180_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/\b12 passed, 0 failed\b/);
  }, 200_000);
});

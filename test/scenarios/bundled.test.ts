import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenarios, importScenarios } from '../../harness/scenario/import-scenarios.js';
import { runScenarios, type ImportedScenario } from '../../harness/scenario/runner.js';
import { startStack, type StartedStack } from '../../harness/stack/start-stack.js';
import { testBrokerKind } from '../support/broker.js';

// `npm test` plays the default set of bundled scenarios against one real broker, as `gamelan-harness run`
// with no names does. Scenarios tagged `slow` (throughput: 20,000 runs) run when named.
const scenarios: ImportedScenario[] = await importScenarios([]);
let stack: StartedStack;

beforeAll(async () => {
  stack = await startStack({ kafka: await testBrokerKind() });
});
afterAll(() => stack?.stop());

describe('bundled scenarios', () => {
  it('are the four of the harness, and the slow throughput scenario is bundled but left out of the default set', async () => {
    expect(scenarios.map((s) => s.definition.name).sort()).toEqual(['lag', 'rebalance', 'replay', 'retries-to-dlq']);
    const all = await bundledScenarios();
    expect(all.filter((s) => s.definition.tags?.includes('slow')).map((s) => s.definition.name)).toEqual([
      'throughput',
    ]);
  }, 120_000); // imports every scenario file again (tsx)

  it.each(scenarios.map((s) => [s.definition.name, s] as const))(
    '%s passes on a real broker',
    async (_name, scenario) => {
      const summary = await runScenarios([scenario], { broker: stack.broker, config: stack.config.gamelan });
      const [result] = summary.scenarios;
      expect(result?.error ?? '', `steps: ${JSON.stringify(result?.steps)}`).toBe('');
      expect(result?.status).toBe('passed');
      expect(result?.steps.length).toBeGreaterThan(2);
    },
    180_000,
  ); // each scenario bounds itself (its own timeoutMs ≤ 120 s); this only catches a hang
});

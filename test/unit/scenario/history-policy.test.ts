import { describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { orderedByRunFor } from '../../../harness/checker/index.js';
import { faultsUnavailable } from '../../../harness/faults/index.js';
import { defineScenario } from '../../../harness/scenario/define.js';
import { importScenarios } from '../../../harness/scenario/import-scenarios.js';
import { historyPolicy } from '../../../harness/scenario/runner.js';

const scenario = (extra: Partial<Parameters<typeof defineScenario>[0]> = {}) => defineScenario({ name: 'x', description: 'x', async run() {}, ...extra });
const broker = (kind: 'native' | 'external', brokerCount: number, faultable = false) =>
  ({ kind, brokerCount, ...(faultable ? { nodes: [], killNode: async () => {} } : {}) }) as unknown as StartedBroker;

describe('history policy', () => {
  it('reports by default; fails when the scenario asks, is tagged chaos, or the run is strict', () => {
    expect(historyPolicy(scenario(), {})).toBe('report');
    expect(historyPolicy(scenario({ checkHistory: 'fail' }), {})).toBe('fail');
    expect(historyPolicy(scenario({ tags: ['chaos'] }), {})).toBe('fail');
    expect(historyPolicy(scenario(), { strictHistory: true })).toBe('fail');
  });

  it('checks per-run order only where the dialect keys by runId (upstream events are unkeyed)', () => {
    expect(orderedByRunFor('spec')).toEqual(['tasks', 'results', 'events']);
    expect(orderedByRunFor('upstream')).toEqual(['tasks', 'results']);
  });

  it('a bad checkHistory value or needs key is refused where the scenario is declared', () => {
    expect(() => scenario({ checkHistory: 'sometimes' as 'fail' })).toThrow(/checkHistory = "sometimes" is not allowed/);
    expect(() => scenario({ needs: { brokers: 9 } })).toThrow(/needs\.brokers = 9 is not allowed/);
  });
});

describe('what a scenario needs of the cluster', () => {
  it('names the broker count and the fix', () => {
    expect(faultsUnavailable({ brokers: 3 }, broker('native', 1), undefined)).toMatch(/needs 3 brokers; the native cluster has 1 \(run it with --brokers 3/);
    expect(faultsUnavailable({ brokers: 3 }, broker('native', 3), undefined)).toBeUndefined();
  });

  it('faults need broker processes the harness runs, and a Toxiproxy', () => {
    expect(faultsUnavailable({ faults: true }, broker('external', 1), undefined)).toMatch(/this cluster is external \(use --kafka native/);
    expect(faultsUnavailable({ faults: true }, broker('native', 1, true), undefined)).toMatch(/needs network faults: /);
  });
});

describe('scenario selection by tag', () => {
  it('chaos scenarios are left out of the default set and played with --tag chaos; an unknown tag is bad input', async () => {
    const byDefault = await importScenarios([]);
    expect(byDefault.some((s) => s.definition.tags?.length)).toBe(false);
    const chaos = await importScenarios([], { tags: ['chaos'] });
    expect(chaos.length).toBe(6);
    expect(chaos.every((s) => s.definition.tags?.includes('chaos'))).toBe(true);
    await expect(importScenarios([], { tags: ['flaky'] })).rejects.toThrow('--tag "flaky" is not a scenario tag: use one of slow, chaos.');
  }, 120_000);
});

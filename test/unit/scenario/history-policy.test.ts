import { describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { orderedByRunFor } from '../../../harness/checker/index.js';
import type { AdvertisedProxies } from '../../../harness/faults/advertised.js';
import { faultsUnavailable } from '../../../harness/faults/index.js';
import type { StartedToxiproxy } from '../../../harness/faults/toxiproxy-server.js';
import { defineScenario } from '../../../harness/scenario/define.js';
import { importScenarios } from '../../../harness/scenario/import-scenarios.js';
import { historyPolicy } from '../../../harness/scenario/runner.js';

const scenario = (extra: Partial<Parameters<typeof defineScenario>[0]> = {}) =>
  defineScenario({ name: 'x', description: 'x', async run() {}, ...extra });
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
    expect(() => scenario({ checkHistory: 'sometimes' as 'fail' })).toThrow(
      /checkHistory = "sometimes" is not allowed/,
    );
    expect(() => scenario({ needs: { brokers: 9 } })).toThrow(/needs\.brokers = 9 is not allowed/);
  });
});

describe('what a scenario needs of the cluster', () => {
  it('names the broker count and the fix', () => {
    expect(faultsUnavailable({ brokers: 3 }, broker('native', 1), undefined)).toMatch(
      /needs 3 brokers; the native cluster has 1 \(run it with --brokers 3/,
    );
    expect(faultsUnavailable({ brokers: 3 }, broker('native', 3), undefined)).toBeUndefined();
  });

  it('faults need broker processes the harness runs, and a Toxiproxy', () => {
    expect(faultsUnavailable({ faults: true }, broker('external', 1), undefined)).toMatch(
      /this cluster is external \(use --kafka native/,
    );
    expect(faultsUnavailable({ faults: true }, broker('native', 1, true), undefined)).toMatch(/needs network faults: /);
  });

  it('a client without a socket hook (platformatic) is faulted through the advertised lane, and never on a lane of its own', () => {
    const toxiproxy = {} as StartedToxiproxy;
    const advertised = {} as AdvertisedProxies;
    const proxied = Object.assign(broker('native', 1, true), { proxiedBootstrapServers: ['127.0.0.1:1'] });
    expect(
      faultsUnavailable({ faults: true, clientLanes: true }, proxied, toxiproxy, { client: 'kafkajs' }),
    ).toBeUndefined();
    expect(
      faultsUnavailable({ faults: true, clientLanes: true }, proxied, toxiproxy, {
        client: 'platformatic',
        advertised,
      }),
    ).toMatch(
      /needs a fault lane per client .*which only --client kafkajs has: @platformatic\/kafka 2\.12\.1 has no public socket hook/,
    );
    expect(
      faultsUnavailable({ faults: true }, proxied, toxiproxy, { client: 'platformatic', advertised }),
    ).toBeUndefined();
    expect(
      faultsUnavailable({ faults: true }, broker('native', 1, true), toxiproxy, { client: 'platformatic' }),
    ).toMatch(/needs the advertised fault lane for --client platformatic/);
  });

  it('clientLanes is a needs key a scenario may declare', () => {
    expect(scenario({ needs: { faults: true, clientLanes: true } }).needs).toEqual({ faults: true, clientLanes: true });
  });
});

describe('scenario selection by tag', () => {
  it('chaos scenarios are left out of the default set and played with --tag chaos; an unknown tag is bad input', async () => {
    const byDefault = await importScenarios([]);
    expect(byDefault.some((s) => s.definition.tags?.length)).toBe(false);
    const chaos = await importScenarios([], { tags: ['chaos'] });
    expect(chaos.length).toBe(6);
    expect(chaos.every((s) => s.definition.tags?.includes('chaos'))).toBe(true);
    await expect(importScenarios([], { tags: ['flaky'] })).rejects.toThrow(
      '--tag "flaky" is not a scenario tag: use one of slow, chaos.',
    );
  }, 120_000);
});

import { createProvider } from '../brokers/select.js';
import { type AdvertisedProxies, advertisedProxies } from '../faults/advertised.js';
import type { ClusterNeeds } from '../faults/cluster-faults.js';
import { chooseFaultProxy, startToxiproxy } from '../faults/fault-proxy.js';
import type { StartedToxiproxy } from '../faults/toxiproxy-server.js';
import type { StackOptions } from './start-stack.js';

// What `run` starts for the scenarios it plays: enough brokers for the one that needs most, and, when one
// needs faults, a fault proxy (Toxiproxy, its container or the built-in one) and a native cluster advertising the fault proxy on a second listener
// (containers when asked: `--kafka container`, the same listener published from each container; broker faults then go through Docker).
// Where that cannot be had (an external cluster, a GAMELAN_FAULT_PROXY kind that is missing, no Java), the stack is left as asked
// and those scenarios are skipped by the runner, which says what is missing.

export interface StackForScenarios extends AsyncDisposable {
  /** The stack options to start with (brokers raised, native and faultProxy set when faults are needed). */
  readonly options: StackOptions;
  /** For runScenarios: the Toxiproxy started here, when any scenario needs faults and one could be had. */
  readonly toxiproxy?: StartedToxiproxy;
  /** The proxies the brokers advertise (`broker.proxiedBootstrapServers`), for clients in other languages. */
  readonly proxies?: AdvertisedProxies;
  /** Stop the proxies and the Toxiproxy server; after the stack has stopped. Idempotent. */
  stop(): Promise<void>;
}

export interface StackForScenariosOptions {
  /** The user chose the broker count (`--brokers`): it is kept even when a scenario needs more (that one is skipped). */
  readonly brokersGiven?: boolean;
}

export async function stackForScenarios(
  needs: readonly (ClusterNeeds | undefined)[],
  options: StackOptions,
  choice: StackForScenariosOptions = {},
): Promise<StackForScenarios> {
  const wantBrokers = Math.max(1, ...needs.map((n) => n?.brokers ?? 1));
  const wantFaults = needs.some((n) => n?.faults);
  const nothing = (o: StackOptions): StackForScenarios => ({
    options: o,
    stop: async () => {},
    [Symbol.asyncDispose]: async () => {},
  });
  if (options.kafka === 'external') return nothing(options);
  let adjusted: StackOptions = choice.brokersGiven
    ? options
    : { ...options, brokers: Math.max(options.brokers ?? 1, wantBrokers) };
  if (!wantFaults || (await chooseFaultProxy()).kind === 'none') return nothing(adjusted);
  if ((options.kafka ?? 'auto') === 'auto') {
    if ((await createProvider('native').unavailableReason()) !== undefined) return nothing(adjusted);
    adjusted = { ...adjusted, kafka: 'native' };
  }
  if (adjusted.kafka !== 'native' && adjusted.kafka !== 'container') return nothing(adjusted);
  const toxiproxy = await startToxiproxy();
  const proxies = advertisedProxies(toxiproxy);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await proxies.stop();
      await toxiproxy.stop();
    })());
  return {
    options: { ...adjusted, faultProxy: proxies.faultProxy },
    toxiproxy,
    proxies,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

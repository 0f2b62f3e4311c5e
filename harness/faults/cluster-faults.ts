import type { StartedBroker } from '../brokers/types.js';
import type { ClientKind } from '../clients/client-api.js';
import { chooseClient, faultLanesOf, PLATFORMATIC_VERSION } from '../clients/client-choice.js';
import { FaultError } from '../errors.js';
import type { AdvertisedProxies } from './advertised.js';
import { BrokerFaults, type FaultableCluster, nodeFaultDriver } from './brokers.js';
import { brokerAddresses, NetworkFaults } from './network.js';
import type { StartedToxiproxy } from './toxiproxy-server.js';

// The faults one isolated run (a scenario, a test file) may inject on a cluster: network faults through
// Toxiproxy, one lane per client (the engine, each executor), and broker faults on the nodes. The
// Toxiproxy server and the cluster belong to the caller; stop() removes only this run's proxies and
// resumes any node it paused.

export interface ClusterFaults extends AsyncDisposable {
  /** latency, bandwidth, resetPeer, blackhole, timeout, slicer, down — per broker and per client lane. */
  readonly network: NetworkFaults;
  /** kill -9, pause/resume, restart on the same log directory, leaderOf/killLeaderOf(topic, key). */
  readonly brokers: BrokerFaults;
  stop(): Promise<void>;
}

/** What a cluster must offer (a scenario's `needs`, what `run` starts for its scenarios); what `faultsUnavailable` checks. */
export interface ClusterNeeds {
  /** At least this many broker nodes (default 1). */
  readonly brokers?: number;
  /**
   * `ctx.faults`: network faults through Toxiproxy (per client lane, per broker) and broker faults (kill -9,
   * pause, restart): needs a fault proxy and a native or container cluster the harness started.
   */
  readonly faults?: boolean;
  /**
   * With `faults`: the scenario faults one client's lane and not the others' (`faults.network.blackhole({ client })`).
   * That needs a socket factory per client, which only `--client kafkajs` has; under a client without one
   * (`platformatic`) the scenario is skipped with that reason rather than played unfaulted.
   */
  readonly clientLanes?: boolean;
}

/** Which client library the faulted clients run on and, for one without a socket hook, the lane they share. */
export interface FaultClients {
  /** Default: the broker's client, else GAMELAN_KAFKA_CLIENT, else kafkajs. */
  readonly client?: ClientKind;
  /** The proxies the brokers advertise (stackForScenarios makes them): the lane of a client without a socket hook. */
  readonly advertised?: AdvertisedProxies;
}

/** Whether broker faults can reach the nodes of `broker`: a native or container cluster the harness started. */
export function hasBrokerFaults(broker: StartedBroker): boolean {
  return nodeFaultDriver(broker) !== undefined;
}

/** Whether the nodes of `broker` are host processes the harness started (native): what needs their pids (up.json) uses it. */
export function isFaultableCluster(broker: StartedBroker): broker is StartedBroker & FaultableCluster {
  const candidate = broker as Partial<FaultableCluster>;
  return Array.isArray(candidate.nodes) && typeof candidate.killNode === 'function';
}

/** Why `broker` (and the Toxiproxy given, if any) cannot give what `needs` asks, or undefined when it can. */
export function faultsUnavailable(
  needs: ClusterNeeds | undefined,
  broker: StartedBroker,
  toxiproxy: StartedToxiproxy | undefined,
  clients: FaultClients = {},
): string | undefined {
  const wanted = needs?.brokers ?? 1;
  if (broker.brokerCount < wanted) {
    return `needs ${wanted} brokers; the ${broker.kind} cluster has ${broker.brokerCount} (run it with --brokers ${wanted}, or leave the broker to \`run\`)`;
  }
  if (!needs?.faults) return undefined;
  if (!hasBrokerFaults(broker)) {
    return `needs fault injection on broker nodes the harness started; this cluster is ${broker.kind} (use --kafka native or --kafka container, not an external cluster or the one from \`up\`)`;
  }
  // A fault proxy can always be had (Toxiproxy, its container, or the built-in one: fault-proxy.ts); what can be
  // missing is the one for this run.
  if (!toxiproxy)
    return 'needs network faults: no fault proxy was started for this run (pass toxiproxy to runScenarios, e.g. from startToxiproxy(); `run` starts one)';
  const client = clients.client ?? broker.client ?? chooseClient(undefined);
  if (faultLanesOf(client) === 'advertised') {
    if (needs.clientLanes) {
      return `needs a fault lane per client (a fault on one client's connections, not the others'), which only --client kafkajs has: @platformatic/kafka ${PLATFORMATIC_VERSION} has no public socket hook (docs/faults.md)`;
    }
    if (!broker.proxiedBootstrapServers || !clients.advertised) {
      return `needs the advertised fault lane for --client ${client} (it has no socket hook): this cluster advertises no fault proxy (\`run\` starts one; a library caller passes advertisedProxies(toxiproxy).faultProxy to the broker start and the proxies to runScenarios as \`advertised\`)`;
    }
  }
  return undefined;
}

/**
 * Network faults (lanes made as clients start) and broker faults on `broker`, through `toxiproxy`. For a client
 * without a socket hook, the network faults are the advertised lane's (`clients.advertised`), shared with the
 * cluster's later runs: stop() heals them and leaves the proxies to their owner.
 */
export async function openClusterFaults(
  broker: StartedBroker,
  toxiproxy: StartedToxiproxy,
  clients: FaultClients = {},
): Promise<ClusterFaults> {
  if (!hasBrokerFaults(broker)) {
    throw new FaultError(
      'FAULT_FAILED',
      `broker faults need a native or container cluster the harness started; this one is ${broker.kind}`,
      { value: broker.kind },
    );
  }
  const client = clients.client ?? broker.client ?? chooseClient(undefined);
  const shared = faultLanesOf(client) === 'advertised' ? clients.advertised?.network() : undefined;
  if (faultLanesOf(client) === 'advertised' && !shared) {
    throw new FaultError(
      'FAULT_FAILED',
      `network faults for --client ${client} go through the advertised lane: pass the proxies the brokers advertise (advertisedProxies) as \`advertised\``,
      { value: client },
    );
  }
  const network =
    shared ??
    (await NetworkFaults.create({ toxiproxy, brokers: await brokerAddresses(await broker.admin()), clients: [] }));
  const brokers = new BrokerFaults({ nodeFaults: nodeFaultDriver(broker)!, admin: () => broker.admin() });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= Promise.allSettled([brokers.stop(), shared ? shared.heal() : network.stop()]).then(() => undefined));
  return { network, brokers, stop, [Symbol.asyncDispose]: stop };
}

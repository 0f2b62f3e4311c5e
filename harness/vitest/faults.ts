import { readFileSync } from 'node:fs';
import type { Admin } from '../clients/client-api.js';
import { createClient } from '../clients/create-client.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { FaultError } from '../errors.js';
import { BrokerFaults, type DrivenCluster, type FaultableCluster } from '../faults/brokers.js';
import { brokerAddresses, NetworkFaults } from '../faults/network.js';
import { startToxiproxy } from '../faults/fault-proxy.js';
import { waitFor } from '../wait.js';
import type { GamelanFaultNode } from './global-setup.js';
import { gamelanKafka } from './inject.js';

// Faults for one test file on the global setup's cluster (createGlobalSetup({ faultProxy: true })):
//   const faults = useFaults();
//   it('survives a slow broker', async () => {
//     const { network, brokers } = faults();
//     const kafka = new Kafka({ brokers: [...gamelanKafka().bootstrapServers], socketFactory: network.socketFactory() });
//     await network.latency(300, { broker: 1 });
//     ...
//   });
// Network faults are this file's own proxies (one lane per client, in front of every broker), so files running
// in parallel do not hit each other's clients. Broker faults act on the shared nodes (every file sees them):
// native nodes by signals to the pids the global setup hands over, container nodes through the Docker API by the
// container ids it hands over (the container provider's own driver, node-faults.ts, built here in the worker).
// Every fault is removed after each test (paused nodes resumed) and the proxies after the file.

export interface UsedFaults {
  /** This file's proxies: `socketFactory(lane)` for your clients, latency/bandwidth/blackhole/… per broker and lane. */
  readonly network: NetworkFaults;
  /**
   * kill -9 / pause / resume / leaderOf / killLeaderOf on the global setup's nodes. restart: container nodes only
   * (Docker starts them again from any process); a native node's JVM belongs to the global setup's process.
   */
  readonly brokers: BrokerFaults;
  /** The servers the brokers advertise through the global setup's proxies (for clients in another process). */
  readonly proxiedBootstrapServers: readonly string[];
}

export interface UseFaultsOptions {
  /** Client lanes made at once (more with `network.addClient`). Default ['default']. */
  readonly clients?: readonly string[];
}

/** Linux: a killed child stays a zombie until the global setup's process reaps it; count that as gone. */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] === 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}

type ContainerNode = Extract<GamelanFaultNode, { containerId: string }>;
type ProcessNode = Extract<GamelanFaultNode, { pid: number }>;

/** The global setup's nodes as BrokerFaults drives them from this worker: containers by Docker, processes by signals. */
async function clusterOf(
  nodes: readonly GamelanFaultNode[],
  admin: () => Promise<Admin>,
): Promise<DrivenCluster | FaultableCluster> {
  const containers = nodes.filter((n): n is ContainerNode => 'containerId' in n);
  if (containers.length > 0) {
    // Loaded only for container nodes: testcontainers' Docker client is not needed for native ones.
    const { dockerNodeFaults } = await import('../brokers/container/node-faults.js');
    return { nodeFaults: dockerNodeFaults(containers), admin };
  }
  const processes = nodes.filter((n): n is ProcessNode => 'pid' in n);
  return {
    nodes: processes,
    killNode: async (nodeId) => {
      const node = processes.find((n) => n.nodeId === nodeId)!;
      process.kill(node.pid, 'SIGKILL');
      await waitFor(() => (gone(node.pid) ? true : undefined), {
        timeoutMs: 10_000,
        intervalMs: 20,
        description: `broker ${nodeId} (pid ${node.pid}) to exit after kill -9`,
      });
    },
    admin,
  };
}

export function useFaults(options: UseFaultsOptions = {}): () => UsedFaults {
  let used: UsedFaults | undefined;
  let admin: Admin | undefined;
  let missing: string | undefined;
  beforeAll(async () => {
    const shared = gamelanKafka();
    if (!shared.faults) {
      missing =
        'useFaults(): the global setup started the broker without a fault proxy. Use a setup file with ' +
        "`export default createGlobalSetup({ faultProxy: true })` (from 'gamelan-kafka-harness/vitest/global-setup') as globalSetup; it needs a JDK and Toxiproxy.";
      return;
    }
    const { faults } = shared;
    const kafka = createClient({
      clientId: 'gamelan-use-faults',
      brokers: shared.bootstrapServers,
      logLevel: 'nothing',
      security: shared.security,
    });
    admin = kafka.admin();
    await admin.connect();
    // The global setup's Toxiproxy, attached by URL: this file's proxies go there; its server is the setup's.
    const toxiproxy = await startToxiproxy({ env: { TOXIPROXY_URL: faults.toxiproxyUrl } });
    const network = await NetworkFaults.create({
      toxiproxy,
      brokers: await brokerAddresses(admin),
      clients: options.clients ?? ['default'],
    });
    const connected = admin;
    used = {
      network,
      brokers: new BrokerFaults(await clusterOf(faults.nodes, async () => connected)),
      proxiedBootstrapServers: faults.proxiedBootstrapServers,
    };
  });
  afterEach(async () => {
    if (!used) return;
    await used.network.heal();
    for (const nodeId of used.brokers.nodeIds()) await used.brokers.resume(nodeId);
  });
  afterAll(async () => {
    await used?.brokers.stop();
    await used?.network.stop();
    await admin?.disconnect();
  });
  return () => {
    if (missing) throw new FaultError('FAULT_PROXY_UNAVAILABLE', missing);
    if (!used)
      throw new FaultError(
        'FAULT_FAILED',
        'useFaults(): the faults are opened in beforeAll; call the accessor inside a test or a hook, not while the file is collected.',
      );
    return used;
  };
}

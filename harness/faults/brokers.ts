import type { Admin } from '../clients/client-api.js';
import { signalNodeFaults } from '../brokers/native/node-faults.js';
import type { NodeFaultDriver } from '../brokers/types.js';
import { FaultError } from '../errors.js';
import { registerCleanup } from '../lifecycle/index.js';
import { partitionForKey } from '../protocol/murmur2.js';
import { waitFor } from '../wait.js';
import { type ActiveFault, activeFault } from './active-fault.js';

// Broker faults on a cluster whose nodes the harness runs: kill -9, pause/resume, restart on the same
// log directory, and "kill the leader of the partition this key goes to". How a fault reaches a node is
// the started broker's to say (`nodeFaults`): native JVMs by signals (SIGKILL, SIGSTOP/SIGCONT), containers
// through the Docker API (docker kill -s KILL, pause/unpause, stop/start). A paused node is always resumed
// before the harness lets go of it (stop(), the lifecycle registry): a frozen node would ignore the
// broker's own graceful stop.

/** A cluster whose nodes the harness runs: any started native or container broker fits. */
export interface DrivenCluster {
  /** How faults reach the nodes (StartedBroker.nodeFaults). */
  readonly nodeFaults: NodeFaultDriver;
  admin(): Promise<Admin>;
}

/** The host-process shape (nodes by pid, signalled directly), still accepted: e.g. nodes started in another process. */
export interface FaultableCluster {
  readonly nodes: readonly { readonly nodeId: number; readonly pid: number }[];
  /** SIGKILL one node; resolves once it has exited. */
  killNode(nodeId: number): Promise<void>;
  /** Start a killed or stopped node again on the same log directory (when the provider can). */
  restartNode?(nodeId: number): Promise<void>;
  admin(): Promise<Admin>;
}

export interface PartitionLeader {
  readonly topic: string;
  readonly partition: number;
  /** Node id of the leader; -1 while there is none. */
  readonly leader: number;
}

/** The one place that picks how faults reach a cluster's nodes: its own driver, else signals to its pids; undefined when neither. */
export function nodeFaultDriver(cluster: object): NodeFaultDriver | undefined {
  const driven = cluster as Partial<DrivenCluster>;
  if (driven.nodeFaults) return driven.nodeFaults;
  const processes = cluster as Partial<FaultableCluster>;
  if (!Array.isArray(processes.nodes) || typeof processes.killNode !== 'function') return undefined;
  const { nodes } = processes;
  const restart = processes.restartNode?.bind(cluster);
  return signalNodeFaults({
    nodeIds: nodes.map((n) => n.nodeId),
    pidOf: (id) => nodes.find((n) => n.nodeId === id)!.pid,
    kill: processes.killNode.bind(cluster),
    ...(restart && { restart }),
  });
}

export class BrokerFaults implements AsyncDisposable {
  readonly #driver: NodeFaultDriver;
  readonly #admin: () => Promise<Admin>;
  readonly #paused = new Map<number, ActiveFault>();
  readonly #unregister: () => void;
  #stopped = false;

  constructor(cluster: DrivenCluster | FaultableCluster) {
    const driver = nodeFaultDriver(cluster);
    if (!driver)
      throw new FaultError(
        'FAULT_FAILED',
        'broker faults need a cluster whose nodes the harness runs (a native or container broker it started, with nodeFaults)',
      );
    this.#driver = driver;
    this.#admin = () => cluster.admin();
    this.#unregister = registerCleanup({
      name: 'paused broker nodes',
      stop: () => this.stop(),
      killSync: () => {
        for (const nodeId of this.#paused.keys()) this.#driver.resumeSync(nodeId);
      },
    });
  }

  nodeIds(): readonly number[] {
    return this.#driver.nodeIds;
  }

  /** How faults reach the nodes: `signals` (native JVMs) or `docker` (containers). */
  get mechanism(): NodeFaultDriver['mechanism'] {
    return this.#driver.mechanism;
  }

  /** kill -9 one node; resolves once it has exited. A paused node is resumed first (Docker cannot kill a paused container). */
  async kill(nodeId: number): Promise<void> {
    this.#node(nodeId);
    await this.#paused
      .get(nodeId)
      ?.remove()
      .catch(() => undefined);
    await this.#driver.kill(nodeId);
  }

  /** Freeze one node (SIGSTOP, docker pause): it stops answering but keeps its connections; resolves once frozen. The fault's remove() thaws it. */
  async pause(nodeId: number, options: { readonly forMs?: number } = {}): Promise<ActiveFault> {
    this.#node(nodeId);
    const already = this.#paused.get(nodeId);
    if (already) return already;
    await this.#driver.pause(nodeId);
    const fault = activeFault(
      `pause broker ${nodeId}${options.forMs !== undefined ? ` for ${options.forMs} ms` : ''}`,
      options.forMs,
      () => this.#driver.resume(nodeId),
      () => this.#paused.delete(nodeId),
    );
    this.#paused.set(nodeId, fault);
    return fault;
  }

  /** Thaw a paused node (SIGCONT, docker unpause). */
  async resume(nodeId: number): Promise<void> {
    await this.#paused.get(nodeId)?.remove();
  }

  /** Stop a node (at once if it was killed) and start it again on its log directory; resolves once the cluster lists it again. */
  async restart(nodeId: number, options: { readonly timeoutMs?: number } = {}): Promise<void> {
    this.#node(nodeId);
    const { restart } = this.#driver;
    if (!restart) {
      throw new FaultError(
        'FAULT_FAILED',
        `broker ${nodeId} cannot be restarted from here: these nodes were started in another process, which alone can start them again (restart from a scenario, or on a broker this process started)`,
        { value: nodeId },
      );
    }
    await this.#paused.get(nodeId)?.remove();
    await restart(nodeId);
    const admin = await this.#admin();
    await waitFor(
      async () => ((await admin.describeCluster()).brokers.some((b) => b.nodeId === nodeId) ? true : undefined),
      {
        timeoutMs: options.timeoutMs ?? 60_000,
        intervalMs: 200,
        description: `broker ${nodeId} (${this.#driver.describe(nodeId)}) to rejoin the cluster after its restart`,
      },
    );
  }

  /** The partition `key` goes to (Kafka's murmur2 partitioner) and its current leader. */
  async leaderOf(topic: string, key: string): Promise<PartitionLeader> {
    const admin = await this.#admin();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch((cause: unknown) => {
      throw new FaultError(
        'FAULT_TARGET_UNKNOWN',
        `cannot find the leader for key ${JSON.stringify(key)}: topic ${topic} is not readable (${String(cause)})`,
        { value: topic },
        { cause },
      );
    });
    const partitions = metadata.topics[0]?.partitions ?? [];
    if (partitions.length === 0)
      throw new FaultError('FAULT_TARGET_UNKNOWN', `topic ${topic} has no partitions`, { value: topic });
    const partition = partitionForKey(key, partitions.length);
    const leader = partitions.find((p) => p.partitionId === partition)?.leader ?? -1;
    return { topic, partition, leader };
  }

  /** kill -9 the broker leading the partition `key` goes to; returns which partition and leader that was. */
  async killLeaderOf(topic: string, key: string): Promise<PartitionLeader> {
    const found = await this.leaderOf(topic, key);
    if (found.leader < 0)
      throw new FaultError(
        'FAULT_TARGET_UNKNOWN',
        `partition ${found.partition} of ${topic} (key ${JSON.stringify(key)}) has no leader to kill`,
        { value: key },
      );
    await this.kill(found.leader);
    return found;
  }

  /** Resume every paused node. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.allSettled([...this.#paused.values()].map((f) => f.remove()));
    this.#unregister();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  #node(nodeId: number): void {
    if (!this.#driver.nodeIds.includes(nodeId)) {
      throw new FaultError(
        'FAULT_TARGET_UNKNOWN',
        `unknown broker ${nodeId}; the brokers are ${this.#driver.nodeIds.join(', ')}`,
        { value: nodeId },
      );
    }
  }
}

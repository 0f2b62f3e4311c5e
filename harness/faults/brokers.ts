import { existsSync, readFileSync } from 'node:fs';
import type { Admin } from 'kafkajs';
import { FaultError } from '../errors.js';
import { registerCleanup } from '../lifecycle/index.js';
import { partitionForKey } from '../protocol/murmur2.js';
import { waitFor } from '../wait.js';
import { type ActiveFault, activeFault } from './active-fault.js';

// Broker faults on a cluster whose broker processes the harness runs (native JVMs): kill -9,
// pause/resume (SIGSTOP/SIGCONT), restart on the same log directory, and "kill the leader of the
// partition this key goes to". A paused node is always resumed before the harness lets go of it
// (stop(), the lifecycle registry): a stopped JVM would ignore the broker's own graceful stop.

/** What broker faults need of a started cluster; the native provider's StartedNativeBroker fits. */
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

/** Linux: the process state letter (T: stopped by a signal), or undefined when gone or unknown. */
function processState(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
  } catch {
    return undefined;
  }
}

/** Signals are delivered asynchronously: where /proc tells, wait until the process is (or is no longer) stopped. */
async function settled(pid: number, stopped: boolean): Promise<void> {
  if (!existsSync('/proc/self/stat')) return;
  await waitFor(() => (processState(pid) === undefined || (processState(pid) === 'T') === stopped ? true : undefined), {
    timeoutMs: 5_000,
    intervalMs: 5,
    description: `broker process ${pid} to be ${stopped ? 'stopped' : 'running'}`,
  });
}

export class BrokerFaults implements AsyncDisposable {
  readonly #cluster: FaultableCluster;
  readonly #paused = new Map<number, ActiveFault>();
  readonly #unregister: () => void;
  #stopped = false;

  constructor(cluster: FaultableCluster) {
    this.#cluster = cluster;
    this.#unregister = registerCleanup({
      name: 'paused broker nodes',
      stop: () => this.stop(),
      killSync: () => {
        for (const nodeId of this.#paused.keys()) this.#signal(nodeId, 'SIGCONT', true);
      },
    });
  }

  nodeIds(): readonly number[] {
    return this.#cluster.nodes.map((n) => n.nodeId);
  }

  /** kill -9 one node; resolves once it has exited. */
  async kill(nodeId: number): Promise<void> {
    this.#node(nodeId);
    this.#paused.get(nodeId)?.remove().catch(() => undefined);
    await this.#cluster.killNode(nodeId);
  }

  /** SIGSTOP one node (it stops answering but keeps its connections); resolves once it is stopped. The fault's remove() sends SIGCONT. */
  async pause(nodeId: number, options: { readonly forMs?: number } = {}): Promise<ActiveFault> {
    this.#node(nodeId);
    const already = this.#paused.get(nodeId);
    if (already) return already;
    const { pid } = this.#node(nodeId);
    this.#signal(nodeId, 'SIGSTOP');
    await settled(pid, true);
    const resume = async () => {
      this.#signal(nodeId, 'SIGCONT', true);
      await settled(pid, false);
    };
    const fault = activeFault(`pause broker ${nodeId}${options.forMs !== undefined ? ` for ${options.forMs} ms` : ''}`, options.forMs, resume, () => this.#paused.delete(nodeId));
    this.#paused.set(nodeId, fault);
    return fault;
  }

  /** SIGCONT a paused node. */
  async resume(nodeId: number): Promise<void> {
    await this.#paused.get(nodeId)?.remove();
  }

  /** Stop a node (at once if it was killed) and start it again on its log directory; resolves once the cluster lists it again. */
  async restart(nodeId: number, options: { readonly timeoutMs?: number } = {}): Promise<void> {
    this.#node(nodeId);
    if (!this.#cluster.restartNode) {
      throw new FaultError('FAULT_FAILED', `broker ${nodeId} cannot be restarted: this broker provider has no restartNode (restart on the same log directory needs the native provider)`, { value: nodeId });
    }
    await this.#paused.get(nodeId)?.remove();
    await this.#cluster.restartNode(nodeId);
    const admin = await this.#cluster.admin();
    await waitFor(async () => ((await admin.describeCluster()).brokers.some((b) => b.nodeId === nodeId) ? true : undefined), {
      timeoutMs: options.timeoutMs ?? 60_000,
      intervalMs: 200,
      description: `broker ${nodeId} to rejoin the cluster after its restart`,
    });
  }

  /** The partition `key` goes to (Kafka's murmur2 partitioner) and its current leader. */
  async leaderOf(topic: string, key: string): Promise<PartitionLeader> {
    const admin = await this.#cluster.admin();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch((cause: unknown) => {
      throw new FaultError('FAULT_TARGET_UNKNOWN', `cannot find the leader for key ${JSON.stringify(key)}: topic ${topic} is not readable (${String(cause)})`, { value: topic }, { cause });
    });
    const partitions = metadata.topics[0]?.partitions ?? [];
    if (partitions.length === 0) throw new FaultError('FAULT_TARGET_UNKNOWN', `topic ${topic} has no partitions`, { value: topic });
    const partition = partitionForKey(key, partitions.length);
    const leader = partitions.find((p) => p.partitionId === partition)?.leader ?? -1;
    return { topic, partition, leader };
  }

  /** kill -9 the broker leading the partition `key` goes to; returns which partition and leader that was. */
  async killLeaderOf(topic: string, key: string): Promise<PartitionLeader> {
    const found = await this.leaderOf(topic, key);
    if (found.leader < 0) throw new FaultError('FAULT_TARGET_UNKNOWN', `partition ${found.partition} of ${topic} (key ${JSON.stringify(key)}) has no leader to kill`, { value: key });
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

  #node(nodeId: number): { nodeId: number; pid: number } {
    const node = this.#cluster.nodes.find((n) => n.nodeId === nodeId);
    if (!node) throw new FaultError('FAULT_TARGET_UNKNOWN', `unknown broker ${nodeId}; the brokers are ${this.nodeIds().join(', ')}`, { value: nodeId });
    return node;
  }

  #signal(nodeId: number, signal: NodeJS.Signals, quiet = false): void {
    const { pid } = this.#node(nodeId);
    try {
      process.kill(pid, signal);
    } catch (cause) {
      if (!quiet) throw new FaultError('FAULT_FAILED', `cannot send ${signal} to broker ${nodeId} (pid ${pid}): ${(cause as Error).message}`, { value: nodeId }, { cause });
    }
  }
}

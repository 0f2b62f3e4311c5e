import { spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { getContainerRuntimeClient } from 'testcontainers';
import { causeChain, FaultError } from '../../errors.js';
import type { Env, NodeFaultDriver } from '../types.js';

// Broker faults on nodes that are containers (the container provider), through the Docker API that
// testcontainers already holds (dockerode), not the docker CLI:
//   kill -9  → docker kill --signal SIGKILL, then wait until it is not running (it stays stopped);
//   pause    → docker pause (the cgroup freezer: the JVM keeps its sockets but runs no instruction, as SIGSTOP);
//   resume   → docker unpause;
//   restart  → docker stop (SIGTERM to the JVM, SIGKILL after the grace) unless it is down already, then docker start.
// A restart keeps everything a broker needs to rejoin as itself: the container's filesystem (server.properties
// with its node.id, the log directory with meta.properties, so the start command skips the format step), its
// network alias (peers find it under the same name) and its published host port, which the provider pins at
// creation (HostPort in the port binding, not an ephemeral one), so the advertised 127.0.0.1:<port> is still right.
// A pinned port can be taken by another process while the node is down; the start then fails and says so.
// The exit path (no await) can only shell out: resumeSync runs `docker unpause` synchronously, best effort.
// A node is named by its container id alone, so the driver works in any process that reaches the Docker engine:
// the provider's own, and a vitest worker given the ids by the global setup (useFaults()).
// Each Docker API call is retried up to twice on a dropped engine socket (EPIPE, ECONNRESET): one chaos run on
// containers failed a kill with `write EPIPE`. A retried call whose first try did reach Docker finds the container
// in the state asked for already, which each fault below accepts (409/304).

export interface DockerNode {
  readonly nodeId: number;
  readonly containerId: string;
  /** For messages (`docker ps` shows it). */
  readonly containerName: string;
}

export interface DockerNodeFaultsOptions {
  readonly env?: Env;
  /** Grace for the JVM's own shutdown on restart before Docker SIGKILLs it. Default 20 s. */
  readonly stopTimeoutMs?: number;
  /** The node's output after a restart (the first start's goes through testcontainers' log consumer). */
  readonly onRestarted?: (nodeId: number, output: Readable) => void;
}

/** Docker answers 304 (not modified) or 409 (conflict) when the container is already in the state asked for. */
const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number } | undefined)?.statusCode;

const TRANSIENT_SOCKET_CODES: ReadonlySet<string> = new Set(['EPIPE', 'ECONNRESET']);

/** Whether a Docker API call failed because the engine's socket dropped (worth another try), not because Docker said no. */
export function isTransientDockerError(error: unknown): boolean {
  return [...causeChain(error, 5)].some((e) => typeof e.code === 'string' && TRANSIENT_SOCKET_CODES.has(e.code));
}

export interface DockerRetryOptions {
  /** Pauses before each further try; their count is the number of retries. Default 100 ms, 400 ms. */
  readonly delaysMs?: readonly number[];
}

/** `call()`, tried again after each delay while it fails with a transient socket error; any other error at once. */
export async function retryTransient<T>(call: () => Promise<T>, options: DockerRetryOptions = {}): Promise<T> {
  const delays = options.delaysMs ?? [100, 400];
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= delays.length || !isTransientDockerError(error)) throw error;
      await sleep(delays[attempt]!);
    }
  }
}

export function dockerNodeFaults(nodes: readonly DockerNode[], options: DockerNodeFaultsOptions = {}): NodeFaultDriver {
  const stopSeconds = Math.ceil((options.stopTimeoutMs ?? 20_000) / 1000);
  const nodeOf = (nodeId: number): DockerNode => {
    const node = nodes.find((n) => n.nodeId === nodeId);
    if (!node)
      throw new FaultError(
        'FAULT_TARGET_UNKNOWN',
        `unknown broker ${nodeId}; the brokers are ${nodes.map((n) => n.nodeId).join(', ')}`,
        { value: nodeId },
      );
    return node;
  };
  const describe = (nodeId: number) => `container ${nodeOf(nodeId).containerName.replace(/^\//, '')}`;
  /** The node's container; each call on it goes through retryTransient. */
  const handle = async (nodeId: number) => {
    const container = (await retryTransient(() => getContainerRuntimeClient())).container.getById(
      nodeOf(nodeId).containerId,
    );
    return {
      inspect: () => retryTransient(() => container.inspect()),
      kill: () => retryTransient(() => container.kill({ signal: 'SIGKILL' })),
      wait: () => retryTransient(() => container.wait({ condition: 'not-running' })),
      pause: () => retryTransient(() => container.pause()),
      unpause: () => retryTransient(() => container.unpause()),
      stop: () => retryTransient(() => container.stop({ t: stopSeconds })),
      start: () => retryTransient(() => container.start()),
      raw: container,
    };
  };
  const failed = (nodeId: number, what: string, cause: unknown) =>
    new FaultError(
      'FAULT_FAILED',
      `cannot ${what} broker ${nodeId} (${describe(nodeId)}): ${(cause as Error).message ?? String(cause)}`,
      { value: nodeId },
      { cause },
    );
  const state = async (nodeId: number) => (await (await handle(nodeId)).inspect()).State;

  return {
    mechanism: 'docker',
    nodeIds: nodes.map((n) => n.nodeId),
    describe,
    async kill(nodeId) {
      const container = await handle(nodeId);
      try {
        const { Running, Paused } = (await container.inspect()).State;
        if (!Running) return;
        if (Paused) await container.unpause(); // Docker refuses to kill a paused container
        await container.kill();
        await container.wait();
      } catch (cause) {
        if (statusOf(cause) === 409 && !(await state(nodeId)).Running) return; // it died on its own meanwhile
        throw failed(nodeId, 'kill -9', cause);
      }
    },
    async pause(nodeId) {
      const container = await handle(nodeId);
      try {
        await container.pause();
      } catch (cause) {
        const now = statusOf(cause) === 409 ? await state(nodeId) : undefined;
        if (now?.Paused) return; // paused already (a retried call whose first try got through)
        const why = now && !now.Running ? new Error('it is not running (killed? restart it first)') : cause;
        throw failed(nodeId, 'pause', why);
      }
    },
    async resume(nodeId) {
      const container = await handle(nodeId);
      try {
        await container.unpause();
      } catch (cause) {
        if (statusOf(cause) === 409 || statusOf(cause) === 404) return; // not paused, or gone: nothing to resume
        throw failed(nodeId, 'resume', cause);
      }
    },
    resumeSync(nodeId) {
      const node = nodes.find((n) => n.nodeId === nodeId);
      if (node)
        spawnSync('docker', ['unpause', node.containerId], {
          stdio: 'ignore',
          timeout: 10_000,
          env: { ...(options.env ?? process.env) },
        });
    },
    async restart(nodeId) {
      const client = await retryTransient(() => getContainerRuntimeClient());
      const container = await handle(nodeId);
      try {
        const { Running, Paused } = (await container.inspect()).State;
        if (Paused) await container.unpause();
        if (Running)
          await container.stop().catch((e: unknown) => (statusOf(e) === 304 ? undefined : Promise.reject(e)));
        await container
          .start()
          .catch(async (e: unknown) =>
            statusOf(e) === 304 && (await state(nodeId)).Running ? undefined : Promise.reject(e),
          );
      } catch (cause) {
        throw failed(nodeId, 'restart', cause);
      }
      if (options.onRestarted) {
        const startedAt = new Date((await container.inspect()).State.StartedAt).getTime() / 1000;
        options.onRestarted(
          nodeId,
          await retryTransient(() => client.container.logs(container.raw, { since: startedAt })),
        );
      }
    },
  };
}

import { existsSync, readFileSync } from 'node:fs';
import { FaultError } from '../../errors.js';
import { waitFor } from '../../wait.js';
import type { NodeFaultDriver } from '../types.js';

// Broker faults on nodes that are host processes (the native provider's JVMs): SIGKILL, SIGSTOP/SIGCONT
// to the node's pid, and the provider's own kill and restart (it owns the processes and their log dirs).

export interface SignalledNodes {
  readonly nodeIds: readonly number[];
  /** The node's live pid (a restart gives it a new one). */
  pidOf(nodeId: number): number;
  /** SIGKILL one node; resolves once it has exited. */
  kill(nodeId: number): Promise<void>;
  restart?(nodeId: number): Promise<void>;
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

export function signalNodeFaults(nodes: SignalledNodes): NodeFaultDriver {
  const signal = (nodeId: number, name: NodeJS.Signals): number => {
    const pid = nodes.pidOf(nodeId);
    try {
      process.kill(pid, name);
    } catch (cause) {
      throw new FaultError(
        'FAULT_FAILED',
        `cannot send ${name} to broker ${nodeId} (pid ${pid}): ${(cause as Error).message}`,
        { value: nodeId },
        { cause },
      );
    }
    return pid;
  };
  return {
    mechanism: 'signals',
    nodeIds: nodes.nodeIds,
    describe: (nodeId) => `pid ${nodes.pidOf(nodeId)}`,
    kill: (nodeId) => nodes.kill(nodeId),
    pause: async (nodeId) => settled(signal(nodeId, 'SIGSTOP'), true),
    resume: async (nodeId) => {
      const pid = nodes.pidOf(nodeId);
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        return; // gone: nothing left to resume
      }
      await settled(pid, false);
    },
    resumeSync: (nodeId) => {
      try {
        process.kill(nodes.pidOf(nodeId), 'SIGCONT');
      } catch {
        // gone or not ours: nothing to resume
      }
    },
    ...(nodes.restart && { restart: nodes.restart }),
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskMessage } from '../protocol/index.js';

// The handler API executor authors write against: `(task, context) => output`, throwing for
// failure. The fake executors run these behind the real protocol.

export interface HandlerContext {
  /** This executor instance's id (goes into TaskResultMessage.executorId). */
  readonly executorId: string;
  readonly executorType: string;
  /** Aborted when the instance stops or crashes. */
  readonly signal: AbortSignal;
}

export type TaskOutput = Record<string, unknown>;
export type TaskHandler = (task: TaskMessage, context: HandlerContext) => TaskOutput | Promise<TaskOutput>;

/** Thrown (or returned through `behaviours.crash`) to make the instance die without committing. */
export class ExecutorCrash extends Error {
  override readonly name = 'ExecutorCrash';
}

/** Returned by `behaviours.breakContract`: the executor publishes a result that violates the protocol. */
export const BREAK_CONTRACT = Symbol('gamelan.break-contract');
export type ContractBreak = 'missing-token' | 'wrong-key' | 'bad-status' | 'not-json';
export interface ContractBreakingOutput {
  readonly [BREAK_CONTRACT]: ContractBreak;
}

export function isContractBreak(value: unknown): value is ContractBreakingOutput {
  return typeof value === 'object' && value !== null && BREAK_CONTRACT in value;
}

const FAIL_TIMES_REMEMBERED = 100_000;

/** Ready-made behaviours for scenarios. Each returns a TaskHandler. */
export const behaviours = {
  /** Answer SUCCESS with this output (default: echoes the node and attempt). */
  succeed(output?: TaskOutput | ((task: TaskMessage) => TaskOutput)): TaskHandler {
    return (task) =>
      typeof output === 'function'
        ? output(task)
        : (output ?? { nodeId: task.nodeId, attempt: task.attempt, ok: true });
  },
  /**
   * Throw on the first `failures` attempts of each node of each run, then behave like `then`. It remembers the
   * latest 100,000 run nodes (a long load must not grow it for ever); an attempt of an older one starts over.
   */
  failTimes(failures: number, then: TaskHandler = behaviours.succeed()): TaskHandler {
    const seen = new Map<string, number>();
    return (task, context) => {
      const key = `${task.runId}:${task.nodeId}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.delete(key); // re-inserted last: the oldest are the least recently seen
      seen.set(key, count);
      if (seen.size > FAIL_TIMES_REMEMBERED) seen.delete(seen.keys().next().value!);
      if (count <= failures) throw new Error(`planned failure ${count} of ${failures} for ${key}`);
      return then(task, context);
    };
  },
  /** Always throw this reason. */
  alwaysFail(reason = 'planned permanent failure'): TaskHandler {
    return () => {
      throw new Error(reason);
    };
  },
  /** Take `ms` before answering like `then` (lag scenarios). */
  slow(ms: number, then: TaskHandler = behaviours.succeed()): TaskHandler {
    return async (task, context) => {
      await sleep(ms, undefined, { signal: context.signal });
      return then(task, context);
    };
  },
  /** Never answer in time: sleep past the node's timeout (the engine times the attempt out). */
  exceedTimeout(ms = 60_000): TaskHandler {
    return async (_task, context) => {
      await sleep(ms, undefined, { signal: context.signal });
      return {};
    };
  },
  /** Die without committing the task: it is redelivered to another member after the rebalance. */
  crash(): TaskHandler {
    return () => {
      throw new ExecutorCrash('planned crash');
    };
  },
  /** Publish a result that breaks the contract in this way. */
  breakContract(how: ContractBreak = 'missing-token'): TaskHandler {
    return () => ({ [BREAK_CONTRACT]: how }) as unknown as TaskOutput;
  },
};

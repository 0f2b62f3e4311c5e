import type { ChildExecutor } from '../executors/child-executor.js';
import type { ClusterFaults } from '../faults/cluster-faults.js';
import type { ActiveFault } from '../faults/active-fault.js';
import type { FaultTarget } from '../faults/network.js';

// A scenario's faults twice over: what it planned (drawn from the seed before it acts, so two runs with one seed
// plan the same) and what was applied (wall-clock from and to, which the broker's own timing still moves). Both go
// into the result (JSON, summary.json of a recording); the HTML report draws the applied ones on its timelines.

/** A fault as the scenario planned it from its seed: the same for the same seed. */
export interface PlannedFault {
  /** What is done: `kill -9`, `restart`, `blackhole`, `latency 150 ms`… */
  readonly what: string;
  /** Whom: `broker 2`, `lane executor-1`, `the child executor of round 0`, `the leader of run #3's tasks partition`. */
  readonly target: string;
  /** When, in the scenario's own terms (`after round 1's 6 runs`). */
  readonly when: string;
  /** A drawn delay before it, ms. */
  readonly delayMs?: number;
  /** A drawn duration, ms. */
  readonly forMs?: number;
}

/** A fault as it happened. */
export interface AppliedFault {
  readonly what: string;
  /** `broker 2`, `lane executor-1`, `every lane`, `executor <id>`. */
  readonly target: string;
  /** The sequence diagram's lifeline it hit, when it is one (`executor:<id>`). */
  readonly lane?: string;
  /** Wall-clock ms when it took effect. */
  readonly from: number;
  /** Wall-clock ms when it was removed (for kill -9 of a child executor: when its process was gone); absent: in force at the end. */
  readonly to?: number;
}

export interface FaultSchedule {
  readonly planned: readonly PlannedFault[];
  readonly applied: readonly AppliedFault[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Collects one scenario's planned and applied faults. */
export class FaultLog {
  readonly #planned: PlannedFault[] = [];
  readonly #applied: Mutable<AppliedFault>[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  plan(fault: PlannedFault): PlannedFault {
    this.#planned.push({ ...fault });
    return fault;
  }

  /** A fault took effect now; the returned function says it ended. */
  begin(what: string, target: string, lane?: string): () => void {
    const entry: Mutable<AppliedFault> = { what, target, ...(lane ? { lane } : {}), from: this.#now() };
    this.#applied.push(entry);
    return () => {
      entry.to ??= this.#now();
    };
  }

  /** A fault still open on `target` (a killed broker), ended now. */
  endOpen(target: string): boolean {
    const open = this.#applied.findLast((a) => a.target === target && a.to === undefined);
    if (open) open.to = this.#now();
    return open !== undefined;
  }

  snapshot(): FaultSchedule {
    return { planned: this.#planned.map((p) => ({ ...p })), applied: this.#applied.map((a) => ({ ...a })) };
  }
}

const list = (v: number | string | readonly (number | string)[] | undefined) =>
  v === undefined ? [] : Array.isArray(v) ? [...(v as readonly (number | string)[])] : [v as number | string];

/** `lane executor-1`, `broker 2`, `lane engine → broker 1`, `every lane`. */
export function describeNetworkTarget(target: FaultTarget = {}): string {
  const lanes = list(target.client);
  const brokers = list(target.broker);
  const who = lanes.length ? `lane ${lanes.join(', ')}` : 'every lane';
  return brokers.length ? `${who} → broker ${brokers.join(', ')}` : who;
}

const NETWORK_FAULTS = ['latency', 'bandwidth', 'resetPeer', 'blackhole', 'timeout', 'slicer', 'down'] as const;

/** Bind every method to the instance (their private fields need it) and let `intercept` wrap some of them. */
function intercepted<T extends object>(
  target: T,
  intercept: Partial<Record<string, (call: (...args: unknown[]) => unknown, args: unknown[]) => unknown>>,
): T {
  return new Proxy(target, {
    get(t, p) {
      const value: unknown = Reflect.get(t, p, t);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(t);
      const wrap = typeof p === 'string' ? intercept[p] : undefined;
      return wrap ? (...args: unknown[]) => wrap(bound, args) : bound;
    },
  });
}

/** `faults` whose network and broker faults are written into `log` as they take effect and end. */
export function loggedClusterFaults(faults: ClusterFaults, log: FaultLog): ClusterFaults {
  const network = intercepted(
    faults.network,
    Object.fromEntries(
      NETWORK_FAULTS.map((kind) => [
        kind,
        async (call: (...args: unknown[]) => unknown, args: unknown[]) => {
          const fault = (await call(...args)) as ActiveFault;
          const target = args.find(
            (a): a is FaultTarget =>
              typeof a === 'object' &&
              a !== null &&
              !Array.isArray(a) &&
              ('client' in a || 'broker' in a || 'forMs' in a || 'direction' in a),
          );
          const end = log.begin(fault.description.replace(/ \(.*\)$/, ''), describeNetworkTarget(target));
          void fault.removed.then(end);
          return fault;
        },
      ]),
    ),
  );
  const brokers = intercepted(faults.brokers, {
    kill: async (call, args) => {
      await call(...args);
      log.begin('kill -9', `broker ${String(args[0])}`);
    },
    killLeaderOf: async (call, args) => {
      const killed = (await call(...args)) as { leader: number; partition: number };
      log.begin(`kill -9 (leader of ${String(args[0])} p${killed.partition})`, `broker ${killed.leader}`);
      return killed;
    },
    pause: async (call, args) => {
      const fault = (await call(...args)) as ActiveFault;
      const end = log.begin('pause (SIGSTOP)', `broker ${String(args[0])}`);
      void fault.removed.then(end);
      return fault;
    },
    restart: async (call, args) => {
      const target = `broker ${String(args[0])}`;
      // A killed node is down until its restart brings it back; a running one is down while it restarts.
      const down = log.snapshot().applied.some((a) => a.target === target && a.to === undefined);
      const end = down
        ? () => void log.endOpen(target)
        : log.begin('restart (stop, start on its log directory)', target);
      try {
        await call(...args);
      } finally {
        end();
      }
    },
  });
  return { ...faults, network, brokers, stop: () => faults.stop(), [Symbol.asyncDispose]: () => faults.stop() };
}

/** A child executor whose kill -9 is written into `log` (an instant fault on its lifeline). */
export function loggedChildExecutor(child: ChildExecutor, log: FaultLog): ChildExecutor {
  return intercepted(child, {
    crash: async (call) => {
      const end = log.begin('kill -9', `executor ${child.id}`, `executor:${child.id}`);
      try {
        await call();
      } finally {
        end();
      }
    },
  });
}

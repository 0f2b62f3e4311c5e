import { constants } from 'node:os';
import { onExit } from 'signal-exit';

// A process-wide list of things that must not outlive the harness (broker JVMs, temp dirs).
// Each resource brings an async `stop` (graceful, used on signals and crashes) and a synchronous
// `killSync` (the last resort on 'exit', where no await is possible). Nothing here keeps the
// event loop alive: signal and exit listeners are not handles.

export interface CleanupResource {
  /** For messages only, e.g. `native broker (2 nodes)`. */
  readonly name: string;
  /** Graceful stop; must be idempotent. */
  stop(): Promise<void>;
  /** Synchronous last resort: SIGKILL pids, rmSync dirs. Must never throw. */
  killSync(): void;
}

/** How long async stops may take on a signal or crash before the process exits anyway. */
const STOP_GRACE_MS = 15_000;

const resources = new Set<CleanupResource>();
let installed = false;
let stopping: Promise<void> | undefined;

/** Register a resource; returns the function that unregisters it (call it once stopped). */
export function registerCleanup(resource: CleanupResource): () => void {
  install();
  resources.add(resource);
  return () => {
    resources.delete(resource);
  };
}

/** The resources still registered (for tests and diagnostics). */
export function pendingCleanups(): readonly CleanupResource[] {
  return [...resources];
}

/** Stop every registered resource, newest first; errors are reported, not thrown. */
export function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const resource of [...resources].reverse()) {
      try {
        await resource.stop();
      } catch (error) {
        process.stderr.write(`gamelan-harness: stopping ${resource.name} failed: ${String(error)}\n`);
        safeKill(resource);
      }
      resources.delete(resource);
    }
  })().finally(() => {
    stopping = undefined;
  });
  return stopping;
}

/** Synchronously kill everything still registered (the 'exit' path). */
export function killAllSync(): void {
  for (const resource of [...resources].reverse()) {
    safeKill(resource);
    resources.delete(resource);
  }
}

function safeKill(resource: CleanupResource): void {
  try {
    resource.killSync();
  } catch {
    // killSync must not throw; if it does anyway, keep going with the others.
  }
}

function install(): void {
  if (installed) return;
  installed = true;

  // 'exit' runs for normal ends, process.exit() and after our own signal/crash handling.
  process.on('exit', killAllSync);

  // signal-exit fires only when the signal would otherwise kill the process, i.e. when the host
  // (a CLI, a test runner) installed no handler of its own; a host that handles SIGINT itself
  // is expected to stop what it started, and the 'exit' hook stays the backstop.
  onExit((_code, signal) => {
    if (signal === null) return undefined;
    void stopThenExit(128 + (constants.signals[signal] ?? 0));
    return true;
  });

  // Only take over crashes when nobody else does (a test runner reports them its own way);
  // with a host handler the monitor still kills synchronously before the process dies.
  if (process.listenerCount('uncaughtException') === 0 && process.listenerCount('unhandledRejection') === 0) {
    process.on('uncaughtException', (error) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      void stopThenExit(1);
    });
  } else {
    process.on('uncaughtExceptionMonitor', killAllSync);
  }
}

async function stopThenExit(code: number): Promise<void> {
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
  await Promise.race([stopAll(), deadline]);
  process.exit(code);
}

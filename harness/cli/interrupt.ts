import { killAllSync } from '../lifecycle/index.js';

// Ctrl-C during a long command (run, load): the first asks it to stop cleanly (the run so far is summed up, the
// broker stopped in order); the second, or a stop that takes too long, stops the broker at once (its registered
// processes killed synchronously) and exits. Without this, the first Ctrl-C tore the broker down under live
// clients, which printed kafkajs errors with stacks, and no summary was left.

/** How long a clean stop may take after the first Ctrl-C before the broker is stopped at once. */
export const INTERRUPT_GRACE_MS = 60_000;
export const EXIT_INTERRUPTED = 130;

export interface InterruptHandling {
  /** Whether a Ctrl-C (or SIGTERM) arrived. */
  readonly interrupted: boolean;
  /** Stop listening (the command ended); safe twice. */
  dispose(): void;
}

export function handleInterrupts(
  onFirst: () => void,
  { graceMs = INTERRUPT_GRACE_MS }: { readonly graceMs?: number } = {},
): InterruptHandling {
  let count = 0;
  const hardStop = (why: string) => {
    process.stderr.write(`${why}: stopping the broker now.\n`);
    killAllSync();
    process.exit(EXIT_INTERRUPTED);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count > 1) return hardStop(signal === 'SIGINT' ? 'Second Ctrl-C' : `Second ${signal}`);
    process.stderr.write(
      `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping cleanly and summing up the run so far; press Ctrl-C again to stop the broker at once.\n`,
    );
    setTimeout(() => hardStop(`Not stopped within ${graceMs / 1000} s`), graceMs).unref();
    onFirst();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get interrupted() {
      return count > 0;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

import { FaultError } from '../errors.js';

/** A fault in force; removing it twice is fine. */
export interface ActiveFault extends AsyncDisposable {
  readonly description: string;
  /** Resolves once removed, by remove() or after `forMs`. */
  readonly removed: Promise<void>;
  remove(): Promise<void>;
}

/** Check a number option of a fault, with the value and the allowed range in the error. */
export function checkFaultNumber(what: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new FaultError(
      'FAULT_PROXY_INVALID',
      `${what} = ${value} is not allowed: must be a number ≥ ${min}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ''}`,
      { value },
    );
  }
}

/**
 * Wrap what undoes a fault: remove() runs `undo` once, `forMs` removes it by itself, and
 * `onSettled` lets the owner forget it (so heal/stop remove only what is still in force).
 */
export function activeFault(
  description: string,
  forMs: number | undefined,
  undo: () => Promise<void>,
  onSettled: (fault: ActiveFault) => void,
): ActiveFault {
  if (forMs !== undefined) checkFaultNumber('forMs', forMs, 0);
  let resolveRemoved!: () => void;
  const removed = new Promise<void>((resolve) => (resolveRemoved = resolve));
  let removing: Promise<void> | undefined;
  const fault: ActiveFault = {
    description,
    removed,
    remove: () =>
      (removing ??= (async () => {
        clearTimeout(timer);
        onSettled(fault);
        try {
          await undo();
        } finally {
          resolveRemoved();
        }
      })()),
    [Symbol.asyncDispose]: () => fault.remove(),
  };
  const timer = forMs === undefined ? undefined : setTimeout(() => void fault.remove().catch(() => undefined), forMs);
  return fault;
}

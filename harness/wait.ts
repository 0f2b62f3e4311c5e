import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutError } from './errors.js';

export interface WaitOptions {
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Poll every this many milliseconds (default 100). */
  readonly intervalMs?: number;
  /** What we are waiting for, for the timeout message ("leaders for gamelan.workflow-tasks"). */
  readonly description: string;
  readonly signal?: AbortSignal;
}

/**
 * Poll `probe` until it returns a value other than undefined, or time out. Conditions, not sleeps:
 * the last probe error (if any) is the timeout's cause, and `describeLast` says what was seen.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  options: WaitOptions & { readonly describeLast?: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = options.describeLast?.();
      const why = lastError instanceof Error ? ` Last error: ${lastError.message}` : '';
      throw new TimeoutError(
        `Timed out after ${options.timeoutMs} ms waiting for ${options.description}.${seen ? ` Last seen: ${seen}.` : ''}${why}`,
        lastError === undefined ? undefined : { cause: lastError },
      );
    }
    await sleep(options.intervalMs ?? 100, undefined, options.signal ? { signal: options.signal } : undefined);
  }
}

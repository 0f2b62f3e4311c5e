import { type Equals, isAsymmetricMatcher } from './partial.js';

/** What every matcher returns: usable as is outside vitest, and by expect.extend inside it. */
export interface MatchResult {
  readonly pass: boolean;
  readonly message: () => string;
  readonly actual?: unknown;
  readonly expected?: unknown;
  /** The answer can no longer change (e.g. the run ended the other way): a wait stops here instead of at its timeout. */
  readonly final?: boolean;
}

export interface WaitOptions {
  /** Keep checking until the condition holds or this many ms passed (default 10 s; 0: check once). */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /**
   * For `.not` (and `negatedWait`): how long the condition must stay false. Default 0, the flow as it
   * is now; an explicit `timeoutMs` is read the same way, as before. `.not` never waits the 10 s default.
   */
  readonly settleMs?: number;
}

/** How matchers that compare messages compare them (default `matchesPartial`; the vitest kit passes vitest's `equals`). */
export interface CompareOptions {
  readonly equals?: Equals;
}

export const DEFAULT_MATCHER_TIMEOUT_MS = 10_000;

/** Re-check until it passes or time runs out; the last result tells what the flow held. */
export async function eventually(
  check: () => MatchResult | Promise<MatchResult>,
  options: WaitOptions = {},
): Promise<MatchResult> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_MATCHER_TIMEOUT_MS);
  for (;;) {
    const result = await check();
    if (result.pass || result.final === true || Date.now() >= deadline) return result;
    // The global setTimeout (not node:timers/promises) so vi.useFakeTimers() drives it in tests.
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

/**
 * The wait for a negated check (`.not`): passing means the condition stayed false, so wait only the
 * settle window (`settleMs`, else an explicit `timeoutMs`, else 0: check once) and stop as soon as it holds.
 */
export function negatedWait<T extends WaitOptions>(options: T | undefined): T {
  return { ...(options as T), timeoutMs: options?.settleMs ?? options?.timeoutMs ?? 0 };
}

export function pass(message: string, actual?: unknown, expected?: unknown): MatchResult {
  return { pass: true, message: () => message, actual, expected };
}

export function fail(message: string, actual?: unknown, expected?: unknown): MatchResult {
  return { pass: false, message: () => message, actual, expected };
}

/** A failure that waiting cannot turn into a pass: `eventually` returns it at once. */
export function finalFail(message: string, actual?: unknown, expected?: unknown): MatchResult {
  return { ...fail(message, actual, expected), final: true };
}

/** Short JSON for messages; asymmetric matchers and RegExps as they read in the test (`StringMatching /x/`, `/x/`). */
export function show(value: unknown, max = 600): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RegExp) return String(v);
    if (isAsymmetricMatcher(v)) {
      // As vitest prints them: Any<String>, or the name and its sample (StringMatching /^run-/).
      const printable = v as { toAsymmetricMatcher?: () => string; toString(): string; sample?: unknown };
      if (typeof printable.toAsymmetricMatcher === 'function') return printable.toAsymmetricMatcher();
      const sample = printable.sample instanceof RegExp ? String(printable.sample) : show(printable.sample, max);
      return printable.sample === undefined ? printable.toString() : `${printable.toString()} ${sample}`;
    }
    return v;
  });
  return text === undefined ? String(value) : text.length > max ? `${text.slice(0, max)}…` : text;
}

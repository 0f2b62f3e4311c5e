import { setTimeout as sleep } from 'node:timers/promises';

/** What every matcher returns: usable as is outside vitest, and by expect.extend inside it. */
export interface MatchResult {
  readonly pass: boolean;
  readonly message: () => string;
  readonly actual?: unknown;
  readonly expected?: unknown;
}

export interface WaitOptions {
  /** Keep checking until the condition holds or this many ms passed (default 10 s; 0: check once). */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

export const DEFAULT_MATCHER_TIMEOUT_MS = 10_000;

/** Re-check until it passes or time runs out; the last result tells what the flow held. */
export async function eventually(check: () => MatchResult | Promise<MatchResult>, options: WaitOptions = {}): Promise<MatchResult> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_MATCHER_TIMEOUT_MS);
  for (;;) {
    const result = await check();
    if (result.pass || Date.now() >= deadline) return result;
    await sleep(options.intervalMs ?? 50);
  }
}

export function pass(message: string, actual?: unknown, expected?: unknown): MatchResult {
  return { pass: true, message: () => message, actual, expected };
}

export function fail(message: string, actual?: unknown, expected?: unknown): MatchResult {
  return { pass: false, message: () => message, actual, expected };
}

/** Short JSON for messages. */
export function show(value: unknown, max = 600): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > max ? `${text.slice(0, max)}…` : text;
}

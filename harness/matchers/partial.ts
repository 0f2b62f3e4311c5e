/**
 * How a matcher compares a recorded value with what a test expects: true when `actual` holds every
 * field of `expected` (a partial, deep match). The vitest kit passes vitest's own `equals` with the
 * subset testers (what `toMatchObject` does); outside vitest the default is `matchesPartial`.
 */
export type Equals = (actual: unknown, expected: unknown) => boolean;

/** An asymmetric matcher (`expect.any(String)`, `expect.objectContaining(…)`, jest's, or any object that has `asymmetricMatch`). */
export interface AsymmetricMatcherLike {
  asymmetricMatch(other: unknown): boolean;
}

export function isAsymmetricMatcher(value: unknown): value is AsymmetricMatcherLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
  );
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);

/**
 * Deep partial match: every field of `expected` is in `actual` with an equal (or partially matching)
 * value. An asymmetric matcher anywhere in `expected` decides for its place; a RegExp matches a string.
 */
export function matchesPartial(actual: unknown, expected: unknown): boolean {
  if (isAsymmetricMatcher(expected)) return expected.asymmetricMatch(actual);
  if (expected instanceof RegExp)
    return typeof actual === 'string'
      ? new RegExp(expected.source, expected.flags).test(actual)
      : actual instanceof RegExp && String(actual) === String(expected);
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected);
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matchesPartial(actual[i], e))
    );
  }
  return Object.entries(expected).every(([k, v]) => matchesPartial((actual as Record<string, unknown>)[k], v));
}

/**
 * `actual` cut down to the fields `expected` names, so a failure's diff shows what differs and not
 * every other field of the message (as vitest's `toMatchObject` does). A RegExp that matches is kept
 * as the expected one, so it does not show as a difference.
 */
export function subsetForDiff(actual: unknown, expected: unknown): unknown {
  if (expected instanceof RegExp)
    return typeof actual === 'string' && matchesPartial(actual, expected) ? expected : actual;
  if (isAsymmetricMatcher(expected)) return actual;
  if (Array.isArray(actual) && Array.isArray(expected))
    return actual.map((a, i) => (i < expected.length ? subsetForDiff(a, expected[i]) : a));
  if (isPlainObject(actual) && isPlainObject(expected)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) if (key in actual) out[key] = subsetForDiff(actual[key], expected[key]);
    return out;
  }
  return actual;
}

/**
 * Of the candidates, the one that holds the most of `expected`'s top-level fields (the latest on a
 * tie): what a failure shows as "received" next to the expected message.
 */
export function closestTo<T>(
  candidates: readonly T[],
  valueOf: (c: T) => unknown,
  expected: unknown,
  equals: Equals,
): T | undefined {
  if (!isPlainObject(expected)) return candidates.at(-1);
  const fields = Object.entries(expected);
  let best: T | undefined;
  let bestScore = -1;
  for (const candidate of candidates) {
    const value = valueOf(candidate);
    const score = isPlainObject(value) ? fields.filter(([k, v]) => equals(value[k], v)).length : 0;
    if (score >= bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

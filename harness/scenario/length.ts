// Short and long versions of the chaos family: the short one is what CI plays (`run --tag chaos`, the
// tests), the long one is for people hunting rare losses (`run --tag chaos --long`, `npm run bench:chaos`).
// Scenario modules size themselves when they are imported, so the choice travels in one environment
// variable that `run --long` sets before it loads them.

/** Set to 1 to size the chaos scenarios for their long version. */
export const LONG_CHAOS_ENV = 'GAMELAN_CHAOS_LONG';

export type ScenarioLength = 'short' | 'long';

/** Which version of the chaos scenarios this process plays. */
export function scenarioLength(env: NodeJS.ProcessEnv = process.env): ScenarioLength {
  return env[LONG_CHAOS_ENV] === '1' ? 'long' : 'short';
}

/** The value for this process's length, e.g. `const RUNS = byLength({ short: 16, long: 400 })`. */
export function byLength<T>(values: { readonly short: T; readonly long: T }, env: NodeJS.ProcessEnv = process.env): T {
  return values[scenarioLength(env)];
}

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../harness/load/slo.js';
import { checkNumbers, MAX_TIMER_MS } from '../../../harness/cli/validate.js';

// Numbers that reach a timer are held to the longest one Node takes (issue #22): `--ms 99999999999` printed
// "Applied latency" and applied none, since a longer timer fires after 1 ms.
describe('millisecond options are held to the longest timer', () => {
  it('MAX_TIMER_MS is 2^31-1, the largest delay setTimeout honours', () => {
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
  });

  it('an unbounded ms rule refuses more than 2^31-1 and says the range', () => {
    const rules = { 'join-timeout': { min: 1, unit: 'ms' } } as const;
    expect(checkNumbers({ 'join-timeout': MAX_TIMER_MS }, rules, [])).toBe(true);
    expect(() => checkNumbers({ 'join-timeout': MAX_TIMER_MS + 1 }, rules, ['--join-timeout', '2147483648'])).toThrow(
      '--join-timeout "2147483648" is not allowed: use an integer from 1 to 2147483647 (ms).',
    );
  });

  it('a count without a max still ends where integers stay exact; small bad values keep the short message', () => {
    const rules = { max: { min: 1 } } as const;
    expect(() => checkNumbers({ max: 2 ** 60 }, rules, ['--max', String(2 ** 60)])).toThrow(
      `use an integer from 1 to ${Number.MAX_SAFE_INTEGER}`,
    );
    expect(() => checkNumbers({ max: 0 }, rules, ['--max', '0'])).toThrow(
      '--max "0" is not allowed: use an integer ≥ 1.',
    );
  });

  it('durations: up to 596 h (2^31-1 ms); longer is refused, not turned into 1 ms', () => {
    expect(parseDuration('596h')).toBe(596 * 3_600_000);
    expect(() => parseDuration('597h', '--for')).toThrow(
      '--for "597h" is not allowed: use a positive duration up to 596h (2147483647 ms)',
    );
    expect(() => parseDuration(`${MAX_TIMER_MS + 1}ms`)).toThrow(/up to 596h/);
    expect(parseDuration(`${MAX_TIMER_MS}ms`)).toBe(MAX_TIMER_MS);
  });
});

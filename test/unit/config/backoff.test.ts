import { describe, expect, it } from 'vitest';
import { maxAttempts, retryDelayMs } from '../../../harness/config/backoff.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';

// The one backoff formula: the engine's node retries, the consumers' handler retries and the
// retriedTimes matcher all read their gaps from it.
describe('retry backoff from gamelan.kafka.dlq.*', () => {
  it('grows exponentially from backoff-ms and is capped', () => {
    const dlq = { ...DEFAULT_CONFIG.dlq, backoffMs: 1000, backoffMultiplier: 2, maxBackoffMs: 5000 };
    expect([1, 2, 3, 4, 5].map((r) => retryDelayMs(dlq, r))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(maxAttempts(DEFAULT_CONFIG.dlq)).toBe(4);
  });

  it('rounds to whole milliseconds (a fractional multiplier gives the same gap everywhere)', () => {
    const dlq = { ...DEFAULT_CONFIG.dlq, backoffMs: 100, backoffMultiplier: 1.55, maxBackoffMs: 60_000 };
    expect([1, 2, 3].map((r) => retryDelayMs(dlq, r))).toEqual([100, 155, 240]); // 240.25 → 240
  });

  it('is zero before the first retry and never exceeds max-backoff-ms', () => {
    const dlq = { ...DEFAULT_CONFIG.dlq, backoffMs: 700, backoffMultiplier: 3, maxBackoffMs: 1000 };
    expect(retryDelayMs(dlq, 0)).toBe(0);
    expect(retryDelayMs(dlq, 2)).toBe(1000);
    expect(retryDelayMs(dlq, 50)).toBe(1000);
  });
});

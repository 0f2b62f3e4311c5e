import type { GamelanKafkaConfig } from './schema.js';

// What gamelan.kafka.dlq.* retry settings mean, in one place: the fake engine's node retries, the
// consumers' handler retries and the retriedTimes matcher all read their gaps from here.

/**
 * Delay before retry number `retry` (1 = the first retry, after attempt 1 failed):
 * backoff-ms × multiplier^(retry-1), rounded to whole ms, capped at max-backoff-ms. No jitter, so
 * scenarios can assert the configured gaps.
 */
export function retryDelayMs(dlq: GamelanKafkaConfig['dlq'], retry: number): number {
  if (retry < 1) return 0;
  return Math.min(dlq.maxBackoffMs, Math.round(dlq.backoffMs * dlq.backoffMultiplier ** (retry - 1)));
}

/** Attempts a task gets in all: the first one plus max-retries retries. */
export function maxAttempts(dlq: GamelanKafkaConfig['dlq']): number {
  return dlq.maxRetries + 1;
}

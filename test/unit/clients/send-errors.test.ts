import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { DELIVERY_RETRY, DELIVERY_TIMEOUT_MS, isPermanentSendError } from '../../../harness/clients/settings.js';

// kafkajs is CommonJS: its error classes come from the default export under plain Node ESM.
const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } =
  kafkajs;

describe('which send failures the protocol producers retry until the delivery timeout', () => {
  it('retries what kafkajs gave up on while a broker was away: exhausted retries, connection errors, retriable protocol errors', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(isPermanentSendError(refused)).toBe(false);
    expect(isPermanentSendError(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 10, retryTime: 1000 }))).toBe(
      false,
    );
    expect(isPermanentSendError(new KafkaJSNonRetriableError(refused))).toBe(false);
    const notEnoughReplicas = new KafkaJSProtocolError({
      message: 'Messages are rejected since there are fewer in-sync replicas than required',
      type: 'NOT_ENOUGH_REPLICAS',
      code: 19,
      retriable: true,
    } as never);
    expect(
      isPermanentSendError(new KafkaJSNumberOfRetriesExceeded(notEnoughReplicas, { retryCount: 10, retryTime: 1000 })),
    ).toBe(false);
  });

  it('gives up at once on what no retry mends: a record the broker refuses, a bug', () => {
    const tooLarge = new KafkaJSProtocolError({
      message: 'The request included a message larger than the max message size the server will accept',
      type: 'MESSAGE_TOO_LARGE',
      code: 10,
      retriable: false,
    } as never);
    expect(isPermanentSendError(tooLarge)).toBe(true);
    expect(isPermanentSendError(new KafkaJSNumberOfRetriesExceeded(tooLarge, { retryCount: 0, retryTime: 100 }))).toBe(
      true,
    );
    expect(isPermanentSendError(new TypeError('value is not a Buffer'))).toBe(true);
  });

  it("uses Java's producer timing: backoff 100 ms to 1 s, delivery timeout 120 s", () => {
    expect(DELIVERY_TIMEOUT_MS).toBe(120_000);
    expect([DELIVERY_RETRY.initialRetryTime, DELIVERY_RETRY.maxRetryTime]).toEqual([100, 1_000]);
  });
});

import { logLevel } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kafkajsLogCreator } from '../../../harness/clients/kafkajs-client.js';
import { harnessLogSink, isTransientKafkaLog } from '../../../harness/clients/log.js';

describe('client logging', () => {
  afterEach(() => vi.restoreAllMocks());

  it('drops the transient errors the client retries itself, keeps the others', () => {
    expect(
      isTransientKafkaLog(
        '[Connection] Response GroupCoordinator(key: 10, version: 2)',
        'The group coordinator is not available',
      ),
    ).toBe(true);
    expect(
      isTransientKafkaLog('[Consumer] Crash: KafkaJSNotImplemented: Snappy compression not implemented', undefined),
    ).toBe(false);
    expect(
      isTransientKafkaLog('Error when calling eachMessage', {
        code: 'ABORT_ERR',
        name: 'AbortError',
        message: 'The operation was aborted',
      }),
    ).toBe(true);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // Through the kafkajs adapter's log creator, as kafkajs calls it.
    const log = kafkajsLogCreator(harnessLogSink)(logLevel.ERROR);
    const entry = (message: string, error?: string) => ({
      namespace: 'x',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', logger: 'kafkajs', message, ...(error ? { error } : {}) },
    });
    log(entry('[Connection] Response', "The coordinator is loading and hence can't process requests for this group"));
    log(entry('[Producer] Failed to send messages: broker gone'));
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]![0])).toContain('"level":"ERROR"');
    expect(String(write.mock.calls[0]![0])).toContain('broker gone');
  });
});

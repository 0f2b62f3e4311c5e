import { describe, expect, it } from 'vitest';
import { LingerBuffer, type RecordPosition } from '../../../harness/clients/linger.js';

/** A fake produce call: records every request, answers positions in order (one partition). */
function fakeSend(options: { fail?: (records: readonly string[]) => boolean; hold?: boolean } = {}) {
  const requests: string[][] = [];
  let offset = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const held: (() => void)[] = [];
  const send = async (records: readonly string[]): Promise<RecordPosition[]> => {
    requests.push([...records]);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (options.hold) await new Promise<void>((resolve) => held.push(resolve));
    else await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    if (options.fail?.(records)) throw new Error('broker said no');
    return records.map(() => ({ partition: 0, offset: String(offset++) }));
  };
  return { send, requests, held, maxInFlight: () => maxInFlight };
}

describe('LingerBuffer (linger.ms and batch.size in the producer layer)', () => {
  it('records appended together share one request, in order, each answered with its own offset', async () => {
    const fake = fakeSend();
    const buffer = new LingerBuffer<string>({ lingerMs: 20, batchBytes: 1_000_000, send: fake.send });
    const positions = await Promise.all(['a', 'b', 'c'].map((r) => buffer.append(r, 10)));
    expect(fake.requests).toEqual([['a', 'b', 'c']]);
    expect(positions.map((p) => p.offset)).toEqual(['0', '1', '2']);
    expect(buffer.stats).toEqual({ records: 3, requests: 1 });
  });

  it('a full batch (batch.size bytes) goes out without waiting for linger.ms', async () => {
    const fake = fakeSend();
    const buffer = new LingerBuffer<string>({ lingerMs: 3_600_000, batchBytes: 30, send: fake.send });
    // An hour of linger: only the size can send these.
    await Promise.all(['a', 'b', 'c'].map((r) => buffer.append(r, 10)));
    expect(fake.requests.flat()).toEqual(['a', 'b', 'c']);
  });

  it('below batch.size, records wait for linger.ms; flush() sends them at once', async () => {
    const fake = fakeSend();
    const buffer = new LingerBuffer<string>({ lingerMs: 3_600_000, batchBytes: 1_000, send: fake.send });
    const sent = buffer.append('a', 10);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.requests).toEqual([]);
    expect(buffer.queued).toBe(1);
    await buffer.flush();
    await expect(sent).resolves.toEqual({ partition: 0, offset: '0' });
    expect(fake.requests).toEqual([['a']]);
  });

  it('linger.ms=0 still coalesces what is appended in the same tick', async () => {
    const fake = fakeSend();
    const buffer = new LingerBuffer<string>({ lingerMs: 0, batchBytes: 1_000_000, send: fake.send });
    await Promise.all(['a', 'b'].map((r) => buffer.append(r, 10)));
    expect(fake.requests).toEqual([['a', 'b']]);
  });

  it('a request never exceeds maxRequestBytes, and at most maxInFlight requests are in flight', async () => {
    const fake = fakeSend({ hold: true });
    const buffer = new LingerBuffer<string>({
      lingerMs: 0,
      batchBytes: 20,
      maxRequestBytes: 20,
      maxInFlight: 2,
      send: fake.send,
    });
    const all = Promise.all(Array.from({ length: 10 }, (_, i) => buffer.append(`r${i}`, 10)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.requests).toHaveLength(2); // two in flight, the rest waits
    while (fake.held.length > 0 || buffer.queued > 0) {
      fake.held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
    expect(fake.requests.every((r) => r.length <= 2)).toBe(true);
    expect(fake.requests.flat()).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(fake.maxInFlight()).toBe(2);
  });

  it('a failed request rejects every record of it, and only those', async () => {
    const fake = fakeSend({ fail: (records) => records.includes('bad') });
    const buffer = new LingerBuffer<string>({ lingerMs: 0, batchBytes: 1_000_000, send: fake.send });
    const first = [buffer.append('ok-1', 10), buffer.append('bad', 10)];
    const results = await Promise.allSettled(first);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(buffer.append('ok-2', 10)).resolves.toMatchObject({ partition: 0 });
  });
});

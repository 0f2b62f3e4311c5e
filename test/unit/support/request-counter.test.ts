import { describe, expect, it } from 'vitest';
import { frameReader } from '../../support/request-counter.js';

/** A request frame: size, api key, api version, correlation id, client id, then a body. */
function frame(apiKey: number, clientId: string, body = Buffer.alloc(5, 7)): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(3, 2);
  header.writeInt32BE(42, 4);
  header.writeInt16BE(id.length, 8);
  const payload = Buffer.concat([header, id, body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

describe('the wire request counter (conformance suite support)', () => {
  it("reads each request's api key and client id, frames split or coalesced across chunks", () => {
    const stream = Buffer.concat([frame(1, 'member-a'), frame(0, 'producer-é'), frame(12, '')]);
    for (const cuts of [[], [3, 9, 17, 40], [11], [stream.length - 1]]) {
      const seen: string[] = [];
      const read = frameReader((apiKey, clientId) => seen.push(`${clientId}:${apiKey}`));
      const bounds = [0, ...cuts, stream.length];
      for (let i = 1; i < bounds.length; i++) read(stream.subarray(bounds[i - 1], bounds[i]));
      expect(seen, `cut at ${cuts.join(', ')}`).toEqual(['member-a:1', 'producer-é:0', ':12']);
    }
  });
});

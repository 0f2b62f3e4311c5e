import { describe, expect, it } from 'vitest';
import { newClusterId } from '../../../harness/brokers/kraft/cluster-id.js';

// Regression: a cluster id starting with '-' (base64url of a first byte 0xf8..0xfb) made
// `kafka-storage format -t <id>` fail with "argument --cluster-id/-t: expected one argument";
// it showed up as a failed start in bench:boot about once in 64 starts.
describe('newClusterId', () => {
  it('never starts with "-", drawing again like Kafka\'s Uuid.randomUuid', () => {
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const id = newClusterId(() => draws.shift()!);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
  });

  it('is 22 base64url characters', () => {
    for (let i = 0; i < 200; i++) expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});

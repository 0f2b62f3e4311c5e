import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from '../../../harness/protocol/index.js';

interface Vector {
  key: string;
  murmur2: number;
  partitions: Record<string, number>;
}
const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'murmur2', 'vectors.json');
const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] };

describe('murmur2 (Java client vectors from kafka-clients 4.1.1)', () => {
  it('has the Kafka UtilsTest.testMurmur2 vectors', () => {
    const byKey = Object.fromEntries(vectors.map((v) => [v.key, v.murmur2]));
    expect(byKey).toMatchObject({
      '21': -973932308,
      foobar: -790332482,
      'a-little-bit-long-string': -985981536,
      'a-little-bit-longer-string': -1486304829,
      lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: -58897971,
      abc: 479470107,
    });
  });

  it.each(vectors.map((v) => [v.key, v] as const))('hash of %j', (_key, vector) => {
    expect(murmur2(vector.key)).toBe(vector.murmur2);
    expect(murmur2(new TextEncoder().encode(vector.key))).toBe(vector.murmur2);
  });

  it.each(vectors.map((v) => [v.key, v] as const))('partitions of %j', (_key, vector) => {
    for (const [n, partition] of Object.entries(vector.partitions)) {
      expect(partitionForKey(vector.key, Number(n))).toBe(partition);
    }
  });

  it('toPositive clears the sign bit like Utils.toPositive (not Math.abs)', () => {
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  it('agrees with kafkajs DefaultPartitioner (Java-compatible murmur2) on every vector', () => {
    for (const vector of vectors) {
      for (const n of Object.keys(vector.partitions).map(Number)) {
        const partitionMetadata: PartitionMetadata[] = Array.from({ length: n }, (_, partitionId) => ({
          partitionId,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [0],
          isr: [0],
          offlineReplicas: [],
        }));
        const partitioner = Partitioners.DefaultPartitioner();
        expect(partitioner({ topic: 't', partitionMetadata, message: { key: vector.key, value: null } })).toBe(
          partitionForKey(vector.key, n),
        );
      }
    }
  });

  it('rejects a partition count below 1', () => {
    expect(() => partitionForKey('k', 0)).toThrow(RangeError);
  });
});

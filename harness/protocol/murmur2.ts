// The Java client's default partitioner for keyed records, bit for bit:
//   Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions
// (org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey), keys as UTF-8 bytes
// (StringSerializer). Proven against vectors computed with kafka-clients in test/unit/protocol/murmur2/.

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

const utf8 = new TextEncoder();

/** Kafka's `Utils.murmur2`: a signed 32-bit hash of the bytes (strings are hashed as UTF-8). */
export function murmur2(key: string | Uint8Array): number {
  const data = typeof key === 'string' ? utf8.encode(key) : key;
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  // Java's switch falls through 3 → 2 → 1.
  const remainder = length % 4;
  if (remainder >= 3) h ^= data[tail + 2]! << 16;
  if (remainder >= 2) h ^= data[tail + 1]! << 8;
  if (remainder >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not Math.abs). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition the Java client's default partitioner picks for a non-null key. */
export function partitionForKey(key: string | Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new RangeError(`numPartitions must be a positive integer, got ${numPartitions}`);
  }
  return toPositive(murmur2(key)) % numPartitions;
}

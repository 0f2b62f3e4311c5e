// The classic group protocol's member assignment (Kafka's ConsumerProtocolAssignment), as DescribeGroups returns
// it: int16 version, then per topic a string and an int32 array of partitions (then user data, ignored). Decoded
// here rather than by a client library, so every adapter's admin answers the same way. A KIP-848 group's members
// carry no such bytes.

/** Topic → partitions of a classic member's assignment; null for empty or unreadable bytes. */
export function decodeMemberAssignment(bytes: Buffer): Record<string, number[]> | null {
  if (bytes.length < 6) return null;
  try {
    let at = 2; // version
    const topics = bytes.readInt32BE(at);
    at += 4;
    const assignment: Record<string, number[]> = {};
    for (let t = 0; t < topics; t++) {
      const length = bytes.readInt16BE(at);
      at += 2;
      const topic = bytes.toString('utf8', at, at + length);
      at += length;
      const count = bytes.readInt32BE(at);
      at += 4;
      const partitions: number[] = [];
      for (let p = 0; p < count; p++, at += 4) partitions.push(bytes.readInt32BE(at));
      assignment[topic] = partitions;
    }
    return assignment;
  } catch {
    return null; // truncated: not an assignment this reader knows
  }
}

// The classic consumer protocol's member assignment bytes (ConsumerProtocolAssignment v0: version int16, then an
// array of topic name + partitions, then user data), as DescribeGroups carries them and kafkajs's
// AssignerProtocol.MemberAssignment.decode reads them. @platformatic/kafka decodes them for us; the harness's
// interface hands them over encoded, as Kafka does.

export function encodeMemberAssignment(
  assignments: readonly { readonly topic: string; readonly partitions: readonly number[] }[],
): Buffer {
  const parts: Buffer[] = [];
  const int16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  parts.push(int16(0), int32(assignments.length));
  for (const { topic, partitions } of assignments) {
    const name = Buffer.from(topic, 'utf8');
    parts.push(int16(name.length), name, int32(partitions.length), ...partitions.map(int32));
  }
  parts.push(int32(-1)); // no user data
  return Buffer.concat(parts);
}

// Kafka 4's consumer group protocol (KIP-848) from the harness's kafkajs copy. kafkajs 2 speaks only the classic
// protocol: its describeGroups (DescribeGroups, API 15) answers a group whose members joined with
// `group.protocol=consumer` as an empty "Dead" group. ConsumerGroupDescribe (API 69) describes it: members,
// their epochs and the partitions each owns. Sent to the group's coordinator over the admin's own connections,
// so security (SASL, TLS) and retries are the admin's.
import { TopicError } from '../errors.js';
import type { ConsumerProtocolGroup } from './client-api.js';

const API_KEY = 69;
const API_VERSION = 0;
const GROUP_ID_NOT_FOUND = 69;

interface EncoderLike {
  writeUVarInt(value: number): EncoderLike;
  writeUVarIntString(value: string | null): EncoderLike;
  writeBoolean(value: boolean): EncoderLike;
}

interface DecoderLike {
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readUVarInt(): number;
  readUVarIntString(): string | null;
  readUVarIntArray<T>(reader: (d: DecoderLike) => T): T[] | null;
  readBytes(length: number): Buffer;
  readTaggedFields(): unknown;
}

/** The kafkajs internals this needs (the harness's copy: clients/kafkajs.ts). */
export interface DescribeInternals {
  readonly Encoder: new () => EncoderLike;
  readonly Decoder: new (buffer: Buffer) => DecoderLike;
}

interface BrokerLike {
  readonly versions?: Readonly<Record<number, unknown>> | null;
  readonly connectionPool: { send(request: object): Promise<unknown> };
}

interface ClusterLike {
  findGroupCoordinator(options: { groupId: string }): Promise<BrokerLike>;
}

const remembered = Symbol('gamelan:admin-clusters');
/** The cluster behind each admin the copy made (kafkajs keeps it private). */
const clusters = new WeakMap<object, ClusterLike>();

/**
 * Remember the cluster of every admin the copy's Kafka makes: kafkajs's `admin()` builds one and hands it only to
 * the admin's closures. Idempotent per Kafka class.
 */
export function rememberAdminClusters(Kafka: { prototype: object }): void {
  const proto = Kafka.prototype as { admin(this: object, ...args: unknown[]): object; [remembered]?: true };
  if (proto[remembered]) return;
  proto[remembered] = true;
  const admin = proto.admin;
  proto.admin = function adminWithCluster(this: Record<symbol, unknown>, ...args: unknown[]): object {
    const create = Object.getOwnPropertySymbols(this).find((s) => s.description === 'private:Kafka:createCluster');
    if (create === undefined) return admin.apply(this, args);
    const own = this[create] as (options: object) => ClusterLike;
    let cluster: ClusterLike | undefined;
    this[create] = (options: object) => (cluster = own(options));
    try {
      const made = admin.apply(this, args);
      if (cluster) clusters.set(made, cluster);
      return made;
    } finally {
      this[create] = own;
    }
  };
}
function request(internals: DescribeInternals, groupId: string) {
  return {
    apiKey: API_KEY,
    apiVersion: API_VERSION,
    apiName: 'ConsumerGroupDescribe',
    // kafkajs writes request header v1; the 0 first is header v2's empty tagged fields, which flexible requests need.
    encode: async () =>
      new internals.Encoder()
        .writeUVarInt(0)
        .writeUVarInt(2)
        .writeUVarIntString(groupId)
        .writeBoolean(false)
        .writeUVarInt(0),
  };
}

interface DescribedGroup {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly group: ConsumerProtocolGroup;
}

function readAssignment(d: DecoderLike): Record<string, number[]> {
  const assignment: Record<string, number[]> = {};
  for (const tp of d.readUVarIntArray((r) => {
    r.readBytes(16); // topic id
    const topic = r.readUVarIntString() ?? '';
    const partitions = r.readUVarIntArray((p) => p.readInt32()) ?? [];
    r.readTaggedFields();
    return { topic, partitions };
  }) ?? []) {
    assignment[tp.topic] = [...tp.partitions].sort((a, b) => a - b);
  }
  d.readTaggedFields();
  return assignment;
}

/** ConsumerGroupDescribe v0 response (after the response header's correlation id). */
export function decodeConsumerGroupDescribe(internals: DescribeInternals, payload: Buffer): DescribedGroup[] {
  const d = new internals.Decoder(payload);
  d.readTaggedFields(); // response header v1
  d.readInt32(); // throttle time
  const groups =
    d.readUVarIntArray((g) => {
      const errorCode = g.readInt16();
      const errorMessage = g.readUVarIntString();
      const groupId = g.readUVarIntString() ?? '';
      const state = g.readUVarIntString() ?? '';
      const groupEpoch = g.readInt32();
      g.readInt32(); // assignment epoch
      g.readUVarIntString(); // assignor
      const members =
        g.readUVarIntArray((m) => {
          const memberId = m.readUVarIntString() ?? '';
          m.readUVarIntString(); // instance id
          m.readUVarIntString(); // rack id
          const memberEpoch = m.readInt32();
          const clientId = m.readUVarIntString() ?? '';
          const clientHost = m.readUVarIntString() ?? '';
          m.readUVarIntArray((s) => s.readUVarIntString()); // subscribed topic names
          m.readUVarIntString(); // subscribed topic regex
          const assignment = readAssignment(m);
          readAssignment(m); // target assignment
          m.readTaggedFields();
          return { memberId, clientId, clientHost, memberEpoch, assignment };
        }) ?? [];
      g.readInt32(); // authorized operations
      g.readTaggedFields();
      return {
        errorCode,
        errorMessage,
        group: { groupId, state, groupEpoch, members: members.sort((a, b) => a.memberId.localeCompare(b.memberId)) },
      };
    }) ?? [];
  d.readTaggedFields();
  return groups;
}

/**
 * The group as the consumer protocol describes it, or undefined when it is not a consumer-protocol group (none of
 * that id, a classic group, a broker older than Kafka 4.0, or an admin not made by the harness's kafkajs copy).
 */
export async function describeConsumerProtocolGroup(
  internals: DescribeInternals,
  admin: object,
  groupId: string,
): Promise<ConsumerProtocolGroup | undefined> {
  const cluster = clusters.get(admin);
  if (!cluster) return undefined;
  const coordinator = await cluster.findGroupCoordinator({ groupId });
  if (coordinator.versions && !(API_KEY in coordinator.versions)) return undefined;
  const [described] = (await coordinator.connectionPool.send({
    request: request(internals, groupId),
    response: {
      decode: async (payload: Buffer) => decodeConsumerGroupDescribe(internals, payload),
      parse: async (groups: DescribedGroup[]) => groups,
    },
  })) as DescribedGroup[];
  if (!described || described.errorCode === GROUP_ID_NOT_FOUND) return undefined;
  if (described.errorCode !== 0) {
    const why = described.errorMessage ? ` (${described.errorMessage})` : '';
    throw new TopicError(
      'TOPIC_READ_FAILED',
      `Describing consumer group "${groupId}" (consumer protocol) failed: Kafka error ${described.errorCode}${why}.`,
    );
  }
  return described.group;
}

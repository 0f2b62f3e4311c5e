import type { Admin } from '@platformatic/kafka';
import { loadPlatformatic } from './load.js';
import { platformaticBaseOptions, type PlatformaticConnection } from './connection.js';

// The admin calls the harness uses, on @platformatic/kafka: topics, offsets, groups, the cluster. Offsets are
// decimal strings (as kafkajs answers them), so callers never mix bigint and number.

export interface TopicToCreate {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface PartitionOffsets {
  readonly partition: number;
  /** The earliest offset still stored. */
  readonly low: string;
  /** The offset the next record will get. */
  readonly high: string;
}

export interface GroupListing {
  readonly groupId: string;
  readonly state: string;
  /** `classic` or `consumer` (Kafka 4's protocol), when the broker says. */
  readonly type: string | undefined;
  readonly protocolType: string;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly protocol: string;
  readonly members: readonly { readonly memberId: string; readonly clientId: string; readonly assignment: readonly { readonly topic: string; readonly partitions: readonly number[] }[] }[];
}

export interface ClusterDescription {
  readonly clusterId: string;
  readonly controllerId: number;
  readonly brokers: readonly { readonly nodeId: number; readonly host: string; readonly port: number }[];
  readonly topics: readonly { readonly name: string; readonly partitions: readonly { readonly partition: number; readonly leader: number; readonly replicas: readonly number[]; readonly isr: readonly number[] }[] }[];
}

/** ListOffsets' special timestamps: -2 earliest, -1 latest. */
const EARLIEST = -2n;
const LATEST = -1n;

export class PlatformaticAdmin implements AsyncDisposable {
  readonly #admin: Admin;
  #closing: Promise<void> | undefined;

  private constructor(admin: Admin) {
    this.#admin = admin;
  }

  static async create(connection: PlatformaticConnection): Promise<PlatformaticAdmin> {
    const { Admin } = await loadPlatformatic();
    return new PlatformaticAdmin(new Admin(platformaticBaseOptions(connection)));
  }

  async createTopics(topics: readonly TopicToCreate[]): Promise<void> {
    if (topics.length === 0) return;
    // One request per topic shape: the library takes partitions, replicas and configs per request.
    for (const topic of topics) {
      await this.#admin.createTopics({
        topics: [topic.name],
        partitions: topic.partitions,
        replicas: topic.replicationFactor,
        configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
      });
    }
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.#admin.deleteTopics({ topics: [...names] });
  }

  listTopics(): Promise<string[]> {
    return this.#admin.listTopics();
  }

  /** Low and high watermarks of every partition of a topic, by partition. */
  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const metadata = await this.#admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const partitions = Array.from({ length: count }, (_, i) => i);
    const at = async (timestamp: bigint) => {
      const [answer] = await this.#admin.listOffsets({ topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }] });
      return new Map((answer?.partitions ?? []).map((p) => [p.partitionIndex, String(p.offset)]));
    };
    const [low, high] = await Promise.all([at(EARLIEST), at(LATEST)]);
    return partitions.map((partition) => ({ partition, low: low.get(partition) ?? '0', high: high.get(partition) ?? '0' }));
  }

  /** A group's committed offsets per topic and partition (only partitions it committed). */
  async committedOffsets(groupId: string): Promise<{ readonly topic: string; readonly partition: number; readonly offset: string }[]> {
    const [group] = await this.#admin.listConsumerGroupOffsets({ groups: [groupId] });
    return (group?.topics ?? []).flatMap((t) => t.partitions.filter((p) => p.committedOffset >= 0n).map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: String(p.committedOffset) })));
  }

  /** Groups of both protocols (the library lists only classic ones unless asked). */
  async listGroups(): Promise<GroupListing[]> {
    const groups = await this.#admin.listGroups({ types: ['classic', 'consumer'] });
    return [...groups.values()].map((g) => ({ groupId: g.id, state: g.state, type: g.groupType, protocolType: g.protocolType }));
  }

  /**
   * The classic DescribeGroups answer. Kafka answers it with an empty "Dead" group for a group of the consumer
   * protocol (KIP-848); that needs ConsumerGroupDescribe, which the library's Admin does not call yet.
   */
  async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    const groups = await this.#admin.describeGroups({ groups: [...groupIds] });
    return [...groups.values()].map((g) => ({
      groupId: g.id,
      state: g.state,
      protocol: g.protocol,
      members: [...g.members.values()].map((m) => ({
        memberId: m.id,
        clientId: m.clientId,
        assignment: [...(m.assignments?.values() ?? [])].map((a) => ({ topic: a.topic, partitions: [...a.partitions] })),
      })),
    }));
  }

  async cluster(topics?: readonly string[]): Promise<ClusterDescription> {
    const metadata = await this.#admin.metadata({ ...(topics && { topics: [...topics] }), forceUpdate: true });
    return {
      clusterId: metadata.id,
      controllerId: metadata.controllerId,
      brokers: [...metadata.brokers].map(([nodeId, b]) => ({ nodeId, host: b.host, port: b.port })),
      topics: [...metadata.topics].map(([name, t]) => ({
        name,
        partitions: t.partitions.map((p, partition) => ({ partition, leader: p.leader, replicas: [...p.replicas], isr: [...p.isr] })),
      })),
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#admin.close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

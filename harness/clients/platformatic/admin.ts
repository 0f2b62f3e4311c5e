import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin as PltAdmin, ClusterMetadata } from '@platformatic/kafka';
import { TimeoutError } from '../../errors.js';
import type {
  Admin,
  AdminOptions,
  ClientOptions,
  ClusterDescription,
  ConsumerProtocolGroup,
  ConfigResourceCode,
  ConfigDescription,
  ConfigResourceQuery,
  GroupDescription,
  GroupOffsets,
  ListedGroup,
  PartitionOffsets,
  TopicMetadata,
  TopicToCreate,
} from '../client-api.js';
import { encodeMemberAssignment } from './assignment.js';
import { platformaticBaseOptions } from './connection.js';
import { describeConsumerProtocolGroup } from './consumer-group-describe.js';
import { loadPlatformatic } from './load.js';

// client-api.ts's Admin on @platformatic/kafka. Offsets are decimal strings (the library answers bigints).

/** ListOffsets' special timestamps: -2 earliest, -1 latest. */
const EARLIEST = -2n;
const LATEST = -1n;
/** DescribeConfigs' config source of a value nobody set. */
const DEFAULT_CONFIG_SOURCE = 5;
/** Kafka's UNKNOWN_TOPIC_OR_PARTITION and TOPIC_ALREADY_EXISTS. */
const TOPIC_ALREADY_EXISTS = 36;

const errorCodes = (error: unknown): number[] => {
  const e = error as { apiCode?: number; errors?: unknown[]; response?: unknown };
  return [...(e.apiCode !== undefined ? [e.apiCode] : []), ...(e.errors ?? []).flatMap(errorCodes)];
};

export class PlatformaticAdmin implements Admin {
  readonly #client: ClientOptions;
  readonly #options: AdminOptions;
  #admin: PltAdmin | undefined;

  constructor(client: ClientOptions, options: AdminOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  async connect(): Promise<void> {
    if (this.#admin) return;
    const { Admin } = await loadPlatformatic();
    const admin = new Admin(platformaticBaseOptions(this.#client, this.#options.retry));
    await admin.metadata({ topics: [] });
    this.#admin = admin;
  }

  async disconnect(): Promise<void> {
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.close();
  }

  #connected(): PltAdmin {
    if (!this.#admin) throw new Error('The admin is not connected: call connect() first.');
    return this.#admin;
  }

  listTopics(): Promise<string[]> {
    return this.#connected().listTopics();
  }

  async createTopics(options: {
    topics: TopicToCreate[];
    validateOnly?: boolean;
    waitForLeaders?: boolean;
    timeout?: number;
  }): Promise<boolean> {
    const admin = this.#connected();
    let created = false;
    // The library takes partitions, replicas and configs per request: one request per topic.
    for (const t of options.topics) {
      try {
        await admin.createTopics({
          topics: [t.topic],
          partitions: t.numPartitions ?? -1,
          replicas: t.replicationFactor ?? -1,
          configs: (t.configEntries ?? []).map(({ name, value }) => ({ name, value })),
        });
        created = true;
      } catch (error) {
        if (!errorCodes(error).includes(TOPIC_ALREADY_EXISTS)) throw error;
      }
    }
    if (options.waitForLeaders !== false)
      await this.#waitForLeaders(
        options.topics.map((t) => t.topic),
        options.timeout ?? 30_000,
      );
    return created;
  }

  async #waitForLeaders(topics: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const metadata = await this.#connected()
        .metadata({ topics, forceUpdate: true })
        .catch(() => undefined);
      if (
        metadata &&
        topics.every(
          (t) =>
            (metadata.topics.get(t)?.partitions ?? []).every((p) => p.leader >= 0) &&
            (metadata.topics.get(t)?.partitionsCount ?? 0) > 0,
        )
      )
        return;
      if (Date.now() > deadline)
        throw new TimeoutError(`Leaders of ${topics.join(', ')} not elected within ${timeoutMs} ms.`);
      await sleep(100);
    }
  }

  async createPartitions(options: {
    topicPartitions: { topic: string; count: number }[];
    validateOnly?: boolean;
    timeout?: number;
  }): Promise<boolean> {
    await this.#connected().createPartitions({
      topics: options.topicPartitions.map((t) => ({ name: t.topic, count: t.count, assignments: [] })),
      ...(options.validateOnly !== undefined && { validateOnly: options.validateOnly }),
    });
    return true;
  }

  async deleteTopics(options: { topics: string[]; timeout?: number }): Promise<void> {
    if (options.topics.length > 0) await this.#connected().deleteTopics({ topics: options.topics });
  }

  async #metadata(topics?: string[]): Promise<ClusterMetadata> {
    const admin = this.#connected();
    return admin.metadata({ topics: topics ?? (await admin.listTopics()), forceUpdate: true });
  }

  async fetchTopicMetadata(options?: { topics: string[] }): Promise<{ topics: TopicMetadata[] }> {
    const metadata = await this.#metadata(options?.topics);
    return {
      topics: [...metadata.topics].map(([name, t]) => ({
        name,
        partitions: t.partitions.map((p, partitionId) => ({
          partitionErrorCode: 0,
          partitionId,
          leader: p.leader,
          replicas: [...p.replicas],
          isr: [...p.isr],
          offlineReplicas: [...p.offlineReplicas],
        })),
      })),
    };
  }

  async #offsetsAt(topic: string, timestamp: bigint): Promise<Map<number, string>> {
    const metadata = await this.#metadata([topic]);
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const [answer] = await this.#connected().listOffsets({
      topics: [
        {
          name: topic,
          partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })),
        },
      ],
    });
    return new Map((answer?.partitions ?? []).map((p) => [p.partitionIndex, String(p.offset)]));
  }

  async fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const [low, high] = await Promise.all([this.#offsetsAt(topic, EARLIEST), this.#offsetsAt(topic, LATEST)]);
    return [...high.keys()]
      .sort((a, b) => a - b)
      .map((partition) => ({
        partition,
        offset: high.get(partition)!,
        high: high.get(partition)!,
        low: low.get(partition) ?? '0',
      }));
  }

  async fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp?: number,
  ): Promise<{ partition: number; offset: string }[]> {
    if (timestamp === undefined)
      return (await this.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
    const [at, high] = await Promise.all([this.#offsetsAt(topic, BigInt(timestamp)), this.#offsetsAt(topic, LATEST)]);
    // No record at or after the timestamp: Kafka answers -1; the position is then the end of the partition (as kafkajs answers).
    return [...high.keys()]
      .sort((a, b) => a - b)
      .map((partition) => ({
        partition,
        offset: at.get(partition) === '-1' ? high.get(partition)! : (at.get(partition) ?? high.get(partition)!),
      }));
  }

  async fetchOffsets(options: {
    groupId: string;
    topics?: string[];
    resolveOffsets?: boolean;
  }): Promise<GroupOffsets[]> {
    const topics = options.topics ?? [];
    const metadata = topics.length > 0 ? await this.#metadata(topics) : undefined;
    const request = metadata
      ? {
          groupId: options.groupId,
          topics: topics.map((name) => ({
            name,
            partitionIndexes: Array.from({ length: metadata.topics.get(name)?.partitionsCount ?? 0 }, (_, i) => i),
          })),
        }
      : options.groupId;
    const [group] = await this.#connected().listConsumerGroupOffsets({ groups: [request] });
    const committed = new Map(
      (group?.topics ?? []).map((t) => [t.name, new Map(t.partitions.map((p) => [p.partitionIndex, p]))]),
    );
    const names = topics.length > 0 ? topics : [...committed.keys()];
    return names.map((topic) => {
      const count =
        metadata?.topics.get(topic)?.partitionsCount ??
        Math.max(0, ...[...(committed.get(topic)?.keys() ?? [])].map((p) => p + 1));
      return {
        topic,
        partitions: Array.from({ length: count }, (_, partition) => {
          const p = committed.get(topic)?.get(partition);
          return {
            partition,
            offset: p && p.committedOffset >= 0n ? String(p.committedOffset) : '-1',
            metadata: p?.metadata ?? null,
          };
        }),
      };
    });
  }

  async setOffsets(options: {
    groupId: string;
    topic: string;
    partitions: { partition: number; offset: string }[];
  }): Promise<void> {
    await this.#connected().alterConsumerGroupOffsets({
      groupId: options.groupId,
      topics: [
        {
          name: options.topic,
          partitionOffsets: options.partitions.map((p) => ({ partition: p.partition, offset: BigInt(p.offset) })),
        },
      ],
    });
  }

  async resetOffsets(options: { groupId: string; topic: string; earliest: boolean }): Promise<void> {
    const offsets = await this.fetchTopicOffsets(options.topic);
    await this.setOffsets({
      groupId: options.groupId,
      topic: options.topic,
      partitions: offsets.map((o) => ({ partition: o.partition, offset: options.earliest ? o.low : o.high })),
    });
  }

  /**
   * The classic DescribeGroups answer, with each member's assignment encoded as the classic protocol encodes it.
   * Kafka answers it with an empty "Dead" group for a group of the consumer protocol (KIP-848): describing those
   * needs ConsumerGroupDescribe (describeConsumerGroup below).
   */
  async describeGroups(groupIds: string[]): Promise<{ groups: GroupDescription[] }> {
    const groups = await this.#connected().describeGroups({ groups: groupIds });
    return {
      groups: [...groups.values()].map((g) => ({
        groupId: g.id,
        state: g.state,
        protocolType: g.protocolType,
        protocol: g.protocol,
        members: [...g.members.values()].map((m) => ({
          memberId: m.id,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberAssignment: m.assignments ? encodeMemberAssignment([...m.assignments.values()]) : Buffer.alloc(0),
          memberMetadata: Buffer.alloc(0),
        })),
      })),
    };
  }

  /** A consumer-protocol group (KIP-848) by ConsumerGroupDescribe, or undefined when there is none of that id. */
  async describeConsumerGroup(groupId: string): Promise<ConsumerProtocolGroup | undefined> {
    return describeConsumerProtocolGroup(await loadPlatformatic(), this.#connected(), groupId);
  }

  async listGroups(): Promise<{ groups: ListedGroup[] }> {
    // Both protocols: the library lists classic groups only unless asked.
    const groups = await this.#connected().listGroups({ types: ['classic', 'consumer'] });
    return { groups: [...groups.values()].map((g) => ({ groupId: g.id, protocolType: g.protocolType })) };
  }

  async deleteGroups(groupIds: string[]): Promise<{ groupId: string; errorCode?: number; error?: unknown }[]> {
    await this.#connected().deleteGroups({ groups: groupIds });
    return groupIds.map((groupId) => ({ groupId, errorCode: 0 }));
  }

  async describeCluster(): Promise<ClusterDescription> {
    const metadata = await this.#connected().metadata({ topics: [], forceUpdate: true });
    return {
      brokers: [...metadata.brokers].map(([nodeId, b]) => ({ nodeId, host: b.host, port: b.port })),
      controller: metadata.controllerId >= 0 ? metadata.controllerId : null,
      clusterId: metadata.id,
    };
  }

  async describeConfigs(options: {
    resources: ConfigResourceQuery[];
    includeSynonyms: boolean;
  }): Promise<ConfigDescription> {
    const answers = await this.#connected().describeConfigs({
      resources: options.resources.map((r) => ({
        resourceType: r.type,
        resourceName: r.name,
        configurationKeys: r.configNames ?? null,
      })),
      includeSynonyms: options.includeSynonyms,
    });
    return {
      resources: answers.map((r) => ({
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        errorCode: 0,
        errorMessage: null,
        configEntries: r.configs.map((c) => ({
          configName: c.name,
          configValue: c.value ?? '',
          isDefault: c.configSource === DEFAULT_CONFIG_SOURCE,
          isSensitive: c.isSensitive,
          readOnly: c.readOnly,
        })),
      })),
    };
  }

  async alterConfigs(options: {
    validateOnly: boolean;
    resources: { type: ConfigResourceCode; name: string; configEntries: { name: string; value: string }[] }[];
  }): Promise<unknown> {
    await this.#connected().alterConfigs({
      validateOnly: options.validateOnly,
      resources: options.resources.map((r) => ({
        resourceType: r.type,
        resourceName: r.name,
        configs: r.configEntries.map(({ name, value }) => ({ name, value })),
      })),
    });
    return undefined;
  }
}

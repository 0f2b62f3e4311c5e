import { type Admin, CONFIG_RESOURCE } from '../clients/client-api.js';

export interface PartitionDescription {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: readonly PartitionDescription[];
  readonly replicationFactor: number;
  readonly retentionMs: number | undefined;
}

/** What the cluster says about these topics: partitions, leaders, replicas and retention. */
export async function describeTopics(admin: Admin, names: readonly string[]): Promise<TopicDescription[]> {
  if (names.length === 0) return [];
  const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: CONFIG_RESOURCE.topic, name, configNames: ['retention.ms'] })),
  });
  const retentionOf = new Map(
    configs.resources.map((r) => [
      r.resourceName,
      r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
    ]),
  );
  const described = metadata.topics.map((topic) => {
    const partitions = topic.partitions
      .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))
      .sort((a, b) => a.partition - b.partition);
    const retention = retentionOf.get(topic.name);
    return {
      name: topic.name,
      partitions,
      replicationFactor: partitions[0]?.replicas.length ?? 0,
      retentionMs: retention === undefined || retention === null ? undefined : Number(retention),
    };
  });
  return described.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
}

/** Every partition of every topic has a live leader: the meaning of "ready". */
export function leadersVisible(topics: readonly TopicDescription[], names: readonly string[]): boolean {
  return names.every((name) => {
    const topic = topics.find((t) => t.name === name);
    return topic !== undefined && topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0);
  });
}

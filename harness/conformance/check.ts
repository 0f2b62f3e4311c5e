import type { Admin, KafkaClient } from '../clients/client-api.js';
import { TOPIC_ROLES, type TopicRole } from '../vocabulary.js';
import { DIALECT_NAMES, DIALECT_TOPIC_DEFAULTS, type DialectName } from '../vocabulary.js';
import { readTopic } from '../topics/read-topic.js';
import {
  type ConformanceReport,
  conformanceReport,
  type OtherDialectTopic,
  type TopicConformance,
  TopicConformanceBuilder,
} from './report.js';

export interface ConformanceOptions {
  readonly kafka: KafkaClient;
  readonly admin: Admin;
  readonly bootstrapServers: readonly string[];
  /** The five topics by role. */
  readonly topics: Readonly<Record<TopicRole, string>>;
  /** The dialect records must conform to. */
  readonly dialect: DialectName;
  /** Epoch ms: only records with a timestamp at or after it count; default: everything from the beginning. */
  readonly since?: number | undefined;
  /** Reading no record is a pass (an intentionally empty cluster); default: it is "nothing checked", exit 1. */
  readonly allowEmpty?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Read what is on the five topics (each from the beginning to the end offsets seen at start, with a throwaway
 * group) and report per topic: records read, the dialect of each, and each deviation from the chosen dialect.
 */
export async function checkConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const existing = new Set(await options.admin.listTopics());
  const topics: TopicConformance[] = [];
  for (const role of TOPIC_ROLES) {
    const topic = options.topics[role];
    const builder = new TopicConformanceBuilder(role, topic, options.dialect);
    if (!existing.has(topic)) {
      topics.push(builder.build(false));
      continue;
    }
    await readTopic(
      options.kafka,
      options.admin,
      topic,
      ({ partition, message }) => {
        if (options.since !== undefined && Number(message.timestamp) < options.since) return;
        builder.add({
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
          timestamp: message.timestamp,
        });
      },
      { fromBeginning: true, ...(options.signal ? { signal: options.signal } : {}) },
    );
    topics.push(builder.build());
  }
  const since = options.since === undefined ? undefined : new Date(options.since).toISOString();
  const read = topics.reduce((n, t) => n + t.records, 0);
  // Only when nothing was read: where the records may be instead (the other dialect's topic names).
  const elsewhere = read === 0 ? await otherDialectTopics(options.admin, options.dialect, existing) : undefined;
  return conformanceReport(options.dialect, options.bootstrapServers, since, topics, {
    allowEmpty: options.allowEmpty ?? false,
    ...(elsewhere ? { elsewhere } : {}),
  });
}

/** The other dialect's default topics that exist on the cluster, with the records each holds (end − start offsets). */
async function otherDialectTopics(
  admin: Admin,
  dialect: DialectName,
  existing: ReadonlySet<string>,
): Promise<{ dialect: DialectName; topics: OtherDialectTopic[] }> {
  const other = DIALECT_NAMES.find((d) => d !== dialect)!;
  const topics: OtherDialectTopic[] = [];
  for (const role of TOPIC_ROLES) {
    const topic = DIALECT_TOPIC_DEFAULTS[other][role];
    if (!existing.has(topic)) continue;
    const offsets = await admin.fetchTopicOffsets(topic);
    const records = offsets.reduce((n, p) => n + (Number(p.high) - Number(p.low)), 0);
    topics.push({ role, topic, records });
  }
  return { dialect: other, topics };
}

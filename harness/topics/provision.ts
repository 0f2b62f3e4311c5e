import type { Admin } from '../clients/client-api.js';
import { TopicError } from '../errors.js';
import { waitFor } from '../wait.js';
import { describeTopics, leadersVisible, type TopicDescription } from './describe.js';
import type { TopicPlan } from '../config/topic-plan.js';

export interface TopicDrift {
  readonly topic: string;
  readonly field: 'partitions' | 'replication-factor' | 'retention.ms';
  readonly expected: number;
  readonly actual: number | undefined;
}

export interface ProvisionReport {
  readonly created: readonly string[];
  /** Topics whose partition count grew to the configured one. */
  readonly grown: readonly { readonly topic: string; readonly from: number; readonly to: number }[];
  readonly unchanged: readonly string[];
  /** Differences the harness does not change for you (Kafka cannot shrink partitions or re-replicate here). */
  readonly drift: readonly TopicDrift[];
  readonly topics: readonly TopicDescription[];
}

export interface ProvisionOptions {
  /** How long to wait for leaders on every partition (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * Create the planned topics, grow their partitions when the configuration grew, report what
 * differs, and wait until every partition has a leader. Idempotent: a second call creates nothing.
 */
export async function provisionTopics(
  admin: Admin,
  plans: readonly TopicPlan[],
  options: ProvisionOptions = {},
): Promise<ProvisionReport> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const names = plans.map((p) => p.name);
  try {
    const existing = new Set(await admin.listTopics());
    const missing = plans.filter((p) => !existing.has(p.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false, // we wait ourselves, on metadata, below
        timeout: timeoutMs,
        topics: missing.map((p) => ({
          topic: p.name,
          numPartitions: p.partitions,
          replicationFactor: p.replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(p.retentionMs) }],
        })),
      });
    }
    const before = await waitForLeaders(admin, names, timeoutMs);
    const grown: { topic: string; from: number; to: number }[] = [];
    for (const plan of plans) {
      const actual = before.find((t) => t.name === plan.name)!;
      if (actual.partitions.length < plan.partitions) {
        grown.push({ topic: plan.name, from: actual.partitions.length, to: plan.partitions });
      }
    }
    if (grown.length > 0) {
      await admin.createPartitions({ topicPartitions: grown.map((g) => ({ topic: g.topic, count: g.to })) });
    }
    const topics = grown.length > 0 ? await waitForLeaders(admin, names, timeoutMs, plans) : before;
    const created = missing.map((p) => p.name);
    return {
      created,
      grown,
      unchanged: names.filter((n) => !created.includes(n) && !grown.some((g) => g.topic === n)),
      drift: driftOf(plans, topics),
      topics,
    };
  } catch (error) {
    if (error instanceof TopicError) throw error;
    throw new TopicError(
      'TOPIC_PROVISIONING_FAILED',
      `Could not provision topics ${names.join(', ')}: ${(error as Error).message}`,
      { cause: error, retriable: true },
    );
  }
}

async function waitForLeaders(
  admin: Admin,
  names: readonly string[],
  timeoutMs: number,
  minimum?: readonly TopicPlan[],
): Promise<TopicDescription[]> {
  let last: TopicDescription[] = [];
  return waitFor(
    async () => {
      last = await describeTopics(admin, names);
      const enough = (minimum ?? []).every(
        (p) => (last.find((t) => t.name === p.name)?.partitions.length ?? 0) >= p.partitions,
      );
      return enough && leadersVisible(last, names) ? last : undefined;
    },
    {
      timeoutMs,
      intervalMs: 50,
      description: `a leader on every partition of ${names.join(', ')}`,
      describeLast: () =>
        last.map((t) => `${t.name}: leaders [${t.partitions.map((p) => p.leader).join(',')}]`).join('; ') ||
        'no metadata',
    },
  );
}

function driftOf(plans: readonly TopicPlan[], topics: readonly TopicDescription[]): TopicDrift[] {
  const drift: TopicDrift[] = [];
  for (const plan of plans) {
    const actual = topics.find((t) => t.name === plan.name);
    if (!actual) continue;
    if (actual.partitions.length !== plan.partitions) {
      drift.push({
        topic: plan.name,
        field: 'partitions',
        expected: plan.partitions,
        actual: actual.partitions.length,
      });
    }
    if (actual.replicationFactor !== plan.replicationFactor) {
      drift.push({
        topic: plan.name,
        field: 'replication-factor',
        expected: plan.replicationFactor,
        actual: actual.replicationFactor,
      });
    }
    if (actual.retentionMs !== plan.retentionMs) {
      drift.push({ topic: plan.name, field: 'retention.ms', expected: plan.retentionMs, actual: actual.retentionMs });
    }
  }
  return drift;
}

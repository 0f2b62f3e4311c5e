import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { gamelanKafkaSchema } from '../../../harness/config/index.js';
import { describeTopics, planTopics, provisionTopics } from '../../../harness/topics/index.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';

let broker: StartedBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker?.stop());

const configWith = (prefix: string, overrides: Record<string, unknown> = {}) =>
  gamelanKafkaSchema.parse({
    tasks: { topic: `${prefix}.tasks` },
    results: { topic: `${prefix}.results` },
    events: { topic: `${prefix}.events` },
    status: { topic: `${prefix}.status` },
    dlq: { topic: `${prefix}.dlq` },
    ...overrides,
  });

describe('topic provisioning on a real broker', () => {
  it('creates the five topics with partitions and retention (read back through the admin API), idempotently', async () => {
    const prefix = uniqueTopic('prov');
    const plan = planTopics(configWith(prefix), broker.brokerCount);
    const admin = await broker.admin();
    const first = await provisionTopics(admin, plan.topics);
    expect(first.created).toHaveLength(5);
    const described = await describeTopics(
      admin,
      plan.topics.map((t) => t.name),
    );
    expect(
      described.map((t) => [t.partitions.length, t.retentionMs, t.partitions.every((p) => p.leader >= 0)]),
    ).toEqual(Array(5).fill([3, 2_592_000_000, true]));
    const second = await provisionTopics(admin, plan.topics);
    expect(second.created).toEqual([]);
    expect(second.unchanged).toHaveLength(5);
    expect(second.drift).toEqual([]);
  });

  it('grows partitions when the configuration grows, and reports what it cannot change', async () => {
    const prefix = uniqueTopic('grow');
    const admin = await broker.admin();
    await provisionTopics(admin, planTopics(configWith(prefix), broker.brokerCount).topics);
    const grown = await provisionTopics(
      admin,
      planTopics(configWith(prefix, { partitions: 6, retentionDays: 7 }), broker.brokerCount).topics,
    );
    expect(grown.grown.map((g) => [g.from, g.to])).toEqual(Array(5).fill([3, 6]));
    expect((await describeTopics(admin, [`${prefix}.tasks`]))[0]?.partitions).toHaveLength(6);
    expect(grown.drift.filter((d) => d.field === 'retention.ms').map((d) => [d.expected, d.actual])).toEqual(
      Array(5).fill([604_800_000, 2_592_000_000]),
    );
    const shrunk = await provisionTopics(
      admin,
      planTopics(configWith(prefix, { partitions: 2, retentionDays: 30 }), broker.brokerCount).topics,
    );
    expect(shrunk.drift.filter((d) => d.field === 'partitions').map((d) => [d.expected, d.actual])).toEqual(
      Array(5).fill([2, 6]),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeBrokerProvider, type StartedComposeBroker } from '../../../harness/brokers/index.js';
import { composeUnavailable, containersLabelled, networkExists, roundTrip, topicSettings } from './support.js';

// docker-compose-kraft.yml end to end through the docker-compose npm package.

const skip = await composeUnavailable();

describe.skipIf(skip)('--kafka compose', () => {
  let broker: StartedComposeBroker;
  beforeAll(async () => {
    broker = await new ComposeBrokerProvider().start();
  });
  afterAll(() => broker?.stop());

  it('comes up with the five topics created by the one-shot service, with the spec settings', async () => {
    const described = await topicSettings(
      await broker.admin(),
      broker.topics.map((t) => t.name),
    );
    expect(described.map((d) => [d.name, d.partitions.length, d.replicationFactor, d.retentionMs])).toEqual(
      broker.topics.map((t) => [t.name, 3, 1, 2_592_000_000]),
    );
    expect(broker.bootstrapServers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await roundTrip(broker.kafka('compose-test'), broker.topics[0]!.name, 10)).toHaveLength(10);
  });

  it('down removes the containers and the network of its project', async () => {
    const project = broker.project;
    expect(containersLabelled(`com.docker.compose.project=${project}`).length).toBeGreaterThanOrEqual(2);
    await broker.stop();
    expect(containersLabelled(`com.docker.compose.project=${project}`)).toEqual([]);
    expect(networkExists(`${project}_default`)).toBe(false);
  });
});

describe.skipIf(skip)('--kafka compose --brokers 3 (profile cluster)', () => {
  it('forms a three-broker cluster whose topics are replicated twice (the spec default), then downs it', async () => {
    await using broker = await new ComposeBrokerProvider().start({ brokers: 3 });
    const admin = await broker.admin();
    expect((await admin.describeCluster()).brokers).toHaveLength(3);
    const described = await topicSettings(
      admin,
      broker.topics.map((t) => t.name),
    );
    expect(
      described.every((d) => d.replicationFactor === 2 && d.partitions.length === 3 && d.retentionMs === 2_592_000_000),
    ).toBe(true);
    expect(await roundTrip(broker.kafka('compose-cluster'), broker.topics[2]!.name, 10)).toHaveLength(10);
  });
});

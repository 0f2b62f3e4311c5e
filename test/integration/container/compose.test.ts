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
    const described = await topicSettings(await broker.admin(), broker.topics.map((t) => t.name));
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

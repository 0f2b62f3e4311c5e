import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter } from 'node:path';
import type { Admin } from '../../../harness/clients/client-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { describeGroup } from '../../../harness/clients/group-describe.js';
import { kafkaVersion, resolveKafkaJars } from '../../../harness/kafka-distribution/jars.js';
import { findJava } from '../../../harness/kafka-distribution/java.js';
import { describeGroupAssignment } from '../../../harness/topics/group-assignment.js';
import { consumerLag } from '../../../harness/topics/lag.js';
import { groupIsInactive, planOffsetReset } from '../../../harness/topics/reset-offsets.js';
import { waitFor } from '../../../harness/wait.js';
import { startTestBroker } from '../../support/broker.js';

// Kafka 4's consumer group protocol (KIP-848) as the harness reads it. kafkajs's describeGroups answers a group
// whose members joined with group.protocol=consumer as empty and "Dead"; the harness asks ConsumerGroupDescribe
// then. The member here is Kafka's own console consumer (the Java client, 4.x) with group.protocol=consumer.
const TOPIC = 'consumer-protocol.tasks';
let broker: StartedBroker;
let admin: Admin;
let consoleConsumer: ChildProcess | undefined;

beforeAll(async () => {
  broker = await startTestBroker();
  admin = await broker.admin();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
  const [java, jars] = await Promise.all([findJava(), resolveKafkaJars({ version: kafkaVersion(undefined) })]);
  consoleConsumer = spawn(
    java.path,
    [
      '-cp',
      jars.jars.join(delimiter),
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server',
      broker.bootstrapServers.join(','),
      '--topic',
      TOPIC,
      '--group',
      'kip848-group',
      '--consumer-property',
      'group.protocol=consumer',
    ],
    { stdio: 'ignore' },
  );
}, 180_000);

afterAll(async () => {
  consoleConsumer?.kill('SIGKILL');
  await broker?.stop();
});

describe('a consumer-protocol group (KIP-848)', () => {
  it('kafkajs alone sees it as empty and Dead: the reason the harness asks again', async () => {
    await waitFor(
      async () => (await admin.listGroups()).groups.some((g) => g.groupId === 'kip848-group') || undefined,
      { timeoutMs: 60_000, description: 'the console consumer to create its group' },
    );
    const { groups } = await admin.describeGroups(['kip848-group']);
    expect(groups[0]).toMatchObject({ state: 'Dead', members: [] });
  }, 90_000);

  it('is described with its protocol, state, member and the partitions the member owns', async () => {
    const group = await waitFor(
      async () => {
        const g = await describeGroup(admin, 'kip848-group');
        return g.state === 'Stable' && g.members[0]?.assignment[TOPIC]?.length === 3 ? g : undefined;
      },
      { timeoutMs: 60_000, description: 'the consumer-protocol group to be Stable with all 3 partitions' },
    );
    expect(group).toMatchObject({ groupId: 'kip848-group', protocol: 'consumer', state: 'Stable' });
    expect(group.members).toHaveLength(1);
    expect(group.members[0]).toMatchObject({ clientId: 'console-consumer', assignment: { [TOPIC]: [0, 1, 2] } });
  }, 90_000);

  it("the recorder's membership view, lag owners and the offset reset see it (and refuse to reset it while active)", async () => {
    const snapshot = await describeGroupAssignment(admin, 'kip848-group');
    expect(snapshot).toMatchObject({ protocol: 'consumer', state: 'Stable' });
    const lag = await consumerLag(admin, 'kip848-group', [TOPIC]);
    expect(lag.map((p) => p.owner)).toEqual(Array(3).fill(snapshot.members[0]!.memberId));
    const plan = await planOffsetReset(admin, 'kip848-group', TOPIC, { kind: 'earliest' });
    expect(plan.state).toBe('Stable');
    expect(groupIsInactive(plan)).toBe(false);
  });

  it('once its member is gone it is an Empty consumer-protocol group, which a reset may move', async () => {
    consoleConsumer?.kill('SIGTERM');
    const group = await waitFor(
      async () => {
        const g = await describeGroup(admin, 'kip848-group');
        return g.state === 'Empty' ? g : undefined;
      },
      { timeoutMs: 60_000, description: 'the group to be Empty after its member left' },
    );
    expect(group).toMatchObject({ protocol: 'consumer', members: [] });
  }, 90_000);
});

describe('the other groups', () => {
  it('a kafkajs (classic) group is described as classic, with its assignment', async () => {
    const kafka = broker.kafka();
    const consumer = kafka.consumer({ groupId: 'classic-group' });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [TOPIC] });
      await consumer.run({ eachMessage: async () => {} });
      const group = await waitFor(
        async () => {
          const g = await describeGroup(admin, 'classic-group');
          return g.state === 'Stable' && g.members.length === 1 ? g : undefined;
        },
        { timeoutMs: 60_000, description: 'the classic group to be Stable' },
      );
      expect(group).toMatchObject({ protocol: 'classic', members: [{ assignment: { [TOPIC]: [0, 1, 2] } }] });
    } finally {
      await consumer.disconnect();
    }
  }, 90_000);

  it('a group nobody made has no protocol and is Dead', async () => {
    expect(await describeGroup(admin, 'no-such-group')).toEqual({
      groupId: 'no-such-group',
      protocol: null,
      state: 'Dead',
      members: [],
    });
  });
});

import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTask, buildTaskResult } from '../../../../fixtures/builders/index.js';
import type { StartedNativeBroker } from '../../../../harness/brokers/index.js';
import type { Admin, ClientKind, KafkaClient, Producer } from '../../../../harness/clients/client-api.js';
import { createClient } from '../../../../harness/clients/create-client.js';
import { describeGroup } from '../../../../harness/clients/group-describe.js';
import {
  DeadLetterHandler,
  ResultProducer,
  type SentRecord,
  TaskConsumer,
  TaskProducer,
} from '../../../../harness/clients/index.js';
import { Kafka, logLevel } from '../../../../harness/clients/kafkajs.js';
import { type GamelanKafkaConfig, topicNames } from '../../../../harness/config/index.js';
import {
  ADVERTISED_LANE,
  type AdvertisedProxies,
  advertisedProxies,
  type StartedToxiproxy,
  startToxiproxy,
} from '../../../../harness/faults/index.js';
import {
  type DeadLetterMessage,
  encodeRecord,
  partitionForKey,
  type TaskMessage,
} from '../../../../harness/protocol/index.js';
import { waitFor } from '../../../../harness/wait.js';
import { nativeUnavailable, startNativeTestBroker, uniqueTopic } from '../../../support/broker.js';
import { API_KEYS, type RequestCounter, requestCounter } from '../../../support/request-counter.js';
import { committedOffset, createTopics, PARTITIONS, readTopic, testConfig } from '../support.js';
import { adaptersOnThisNode } from './adapters.js';

// The client-conformance suite: one set of cases, run per client adapter this Node has (kafkajs everywhere,
// @platformatic/kafka on Node 22.22+/24.6+), each asserting through the harness's client interface and the spec's
// producers and consumers on one real 2-node KRaft cluster. Every adapter client reaches the brokers only through
// the advertised fault lane (builtin proxy), behind a relay that counts each client's requests on the wire; seeding,
// reading back and admin calls go direct with the broker's own clients.

const native = await nativeUnavailable();
const adapters = native ? [] : adaptersOnThisNode('client conformance');

let cluster: StartedNativeBroker;
let toxiproxy: StartedToxiproxy;
let proxies: AdvertisedProxies;
let counter: RequestCounter;
let admin: Admin;
let seeder: Producer;

beforeAll(async () => {
  if (adapters.length === 0) return;
  toxiproxy = await startToxiproxy({ kind: 'builtin' });
  proxies = advertisedProxies(toxiproxy);
  counter = requestCounter(proxies.faultProxy);
  // Two nodes: enough for a leader to move by reassignment, with both voters up (a 2-voter quorum survives no kill).
  cluster = await startNativeTestBroker({ brokers: 2, faultProxy: counter.faultProxy });
  admin = await cluster.admin();
  seeder = cluster.kafka('conformance-seeder').producer({ allowAutoTopicCreation: false });
  await seeder.connect();
}, 120_000);

afterAll(async () => {
  await seeder?.disconnect();
  await cluster?.stop();
  await counter?.stop();
  await proxies?.stop();
  await toxiproxy?.stop();
});

const until = (description: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000) =>
  waitFor(async () => ((await probe()) ? true : undefined), { timeoutMs, description });

/** Run ids whose records go to partitions 0, 1 and 2 (Java's partitioner). */
const RUN_IDS: readonly string[] = (() => {
  const found: string[] = [];
  for (let i = 0; found.filter(Boolean).length < PARTITIONS; i++)
    found[partitionForKey(`run-${i}`, PARTITIONS)] ??= `run-${i}`;
  return found;
})();

/** Task `seq` (its attempt number) of the run on partition seq % 3. */
const task = (seq: number): TaskMessage =>
  buildTask({ runId: RUN_IDS[seq % PARTITIONS]!, nodeId: 'n', attempt: seq }, { seed: seq + 1 });

/** Write task `seq` directly (the broker's own client), as the spec's producer encodes it; where it went. */
async function seed(config: GamelanKafkaConfig, seq: number): Promise<{ partition: number; offset: bigint }> {
  const record = encodeRecord('tasks', task(seq));
  const [meta] = await seeder.send({
    topic: topicNames(config).tasks,
    acks: -1,
    messages: [{ key: record.key, value: record.value, headers: record.headers }],
  });
  return { partition: meta!.partition, offset: BigInt(meta!.baseOffset!) };
}

describe.skipIf(adapters.length === 0).each(adapters.length ? adapters : (['kafkajs'] as ClientKind[]))(
  'client conformance with --client %s',
  (kind) => {
    /** An adapter client of its own id, reaching the brokers through the advertised lane only. */
    const adapterClient = (name: string): { kafka: KafkaClient; clientId: string } => {
      const clientId = uniqueTopic(`${name}-${kind}`);
      return {
        clientId,
        kafka: createClient({ kind, clientId, brokers: cluster.proxiedBootstrapServers!, security: cluster.security }),
      };
    };
    const freshConfig = async (
      name: string,
      roles: Parameters<typeof createTopics>[2],
    ): Promise<GamelanKafkaConfig> => {
      const config = testConfig(uniqueTopic(`conf-${name}-${kind}`));
      await createTopics(admin, config, roles);
      return config;
    };
    /** A topic's records (all of them, duplicates too) by partition, in offset order, as their attempt numbers. */
    const sequencesOn = async (topic: string): Promise<number[][]> => {
      const stored = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      const records = await readTopic(cluster.kafka('conformance-reader'), topic, stored);
      const byPartition: number[][] = Array.from({ length: PARTITIONS }, () => []);
      for (const r of records.sort(
        (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
      )) {
        byPartition[r.partition]!.push((JSON.parse(String(r.value)) as TaskMessage).attempt);
      }
      return byPartition;
    };
    /** First deliveries only (a retried request may have been written before its answer was lost): must be the send order. */
    const firstSeen = (sequence: readonly number[]) => sequence.filter((seq, i) => sequence.indexOf(seq) === i);

    it("keeps each partition's order across retries: sends made while every connection is reset are retried, in order", async () => {
      const config = await freshConfig('order', ['tasks']);
      const { kafka, clientId } = adapterClient('order');
      await using producer = await TaskProducer.connect({ kafka, config });
      const sends: Promise<SentRecord>[] = [];
      for (let seq = 0; seq < 6; seq++) sends.push(producer.send(task(seq)));
      await Promise.all(sends);
      const before = counter.count(clientId);
      const cut = await proxies.network().resetPeer({ client: ADVERTISED_LANE });
      try {
        for (let seq = 6; seq < 30; seq++) sends.push(producer.send(task(seq)));
        await until('the producer to try again through the cut', () => counter.count(clientId) >= before + 3);
      } finally {
        await cut.remove();
      }
      const sent = await Promise.all(sends);
      expect(sent.map((s) => s.partition)).toEqual(Array.from({ length: 30 }, (_, seq) => seq % PARTITIONS));
      const onTopic = await sequencesOn(topicNames(config).tasks);
      for (const [partition, sequence] of onTopic.entries()) {
        const expected = Array.from({ length: 30 }, (_, seq) => seq).filter((seq) => seq % PARTITIONS === partition);
        expect(firstSeen(sequence), `partition ${partition}`).toEqual(expected);
      }
    });

    it('loses no acknowledged record when the leaders move mid-send', async () => {
      const config = testConfig(uniqueTopic(`conf-leader-${kind}`));
      const topic = topicNames(config).tasks;
      await admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 2 }],
        waitForLeaders: true,
      });
      const leaders = async () =>
        new Map(
          (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.map((p) => [
            p.partitionId,
            p.leader,
          ]),
        );
      const { kafka } = adapterClient('leader');
      await using producer = await TaskProducer.connect({ kafka, config });
      const acked: number[] = [];
      let stopping = false;
      const sending = (async () => {
        for (let seq = 0; !stopping; seq += 3)
          acked.push(
            ...(await Promise.all([seq, seq + 1, seq + 2].map(async (s) => (await producer.send(task(s)), s)))),
          );
      })();
      sending.catch(() => undefined); // awaited below
      await until('records acknowledged before the move', () => acked.length >= 15);
      const before = await leaders();
      // Each partition's leader is taken out of its replicas: the other node, already in sync, leads it.
      const reassigner = new Kafka({
        clientId: 'conformance-reassign',
        brokers: [...cluster.bootstrapServers],
        logLevel: logLevel.NOTHING,
      }).admin();
      await reassigner.connect();
      try {
        await reassigner.alterPartitionReassignments({
          topics: [
            {
              topic,
              partitionAssignment: [...before].map(([partition, leader]) => ({
                partition,
                replicas: [leader === 1 ? 2 : 1],
              })),
            },
          ],
        });
      } finally {
        await reassigner.disconnect();
      }
      await until('every partition led by its other node', async () =>
        [...(await leaders())].every(([p, leader]) => leader >= 0 && leader !== before.get(p)),
      );
      const moved = acked.length;
      await until('records acknowledged after the move', () => acked.length >= moved + 15);
      stopping = true;
      await sending;
      const onTopic = await sequencesOn(topic);
      const written = new Set(onTopic.flat());
      expect(acked.filter((seq) => !written.has(seq))).toEqual([]);
      for (const [partition, sequence] of onTopic.entries())
        expect(
          firstSeen(sequence).every((seq, i, all) => i === 0 || seq > all[i - 1]!),
          `partition ${partition} in order`,
        ).toBe(true);
    });

    it('commits a task only after its result was acknowledged; a failed acknowledgement redelivers the task', async () => {
      const config = await freshConfig('commit', ['tasks']); // no results topic yet: every result send fails
      const names = topicNames(config);
      const seeded: { seq: number; partition: number; offset: bigint }[] = [];
      for (const seq of [0, 1, 2, 3, 4, 5]) seeded.push({ seq, ...(await seed(config, seq)) });
      const { kafka } = adapterClient('commit');
      const deliveries = new Map<number, number>();
      const acknowledged = new Set<number>();
      const violations: string[] = [];
      // Fail a result send fast (one request, one retry).
      await using results = await ResultProducer.connect({
        kafka,
        config,
        producer: { retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 } },
      });
      await using consumer = await TaskConsumer.start({
        kafka,
        config,
        handler: (message, context) => {
          deliveries.set(message.attempt, (deliveries.get(message.attempt) ?? 0) + 1);
          const ack = results
            .send(buildTaskResult({}, { task: message, seed: message.attempt }))
            .then(() => void acknowledged.add(message.attempt));
          context.commitAfter(ack);
        },
      });
      consumer.on('committed', ({ partition, offset }) => {
        for (const s of seeded)
          if (s.partition === partition && s.offset < BigInt(offset) && !acknowledged.has(s.seq))
            violations.push(`task ${s.seq} committed (${offset}) before its result was acknowledged`);
      });
      await until('every task delivered again after its result failed', () =>
        seeded.every((s) => (deliveries.get(s.seq) ?? 0) >= 2),
      );
      for (let p = 0; p < PARTITIONS; p++)
        expect(await committedOffset(admin, consumer.groupId, names.tasks, p), `partition ${p}`).toBe(-1);
      await createTopics(admin, config, ['results']);
      await until(
        'every task committed',
        async () => {
          for (let p = 0; p < PARTITIONS; p++)
            if ((await committedOffset(admin, consumer.groupId, names.tasks, p)) !== 2) return false;
          return true;
        },
        60_000,
      );
      expect(violations).toEqual([]);
      expect([...acknowledged].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('dead-letters a poison record with its origin and reason, and goes on with the next record', async () => {
      const config = await freshConfig('dlq', ['tasks', 'dlq']);
      const names = topicNames(config);
      const run = RUN_IDS[1]!;
      const [poison] = await seeder.send({
        topic: names.tasks,
        acks: -1,
        messages: [{ key: run, value: '{"taskId": oops' }],
      });
      const good = task(1);
      await seed(config, 1);
      const { kafka } = adapterClient('dlq');
      const handled: TaskMessage[] = [];
      await using consumer = await TaskConsumer.start({ kafka, config, handler: (m) => void handled.push(m) });
      await until(
        'the good record handled and the poison one dead-lettered',
        () => handled.length === 1 && consumer.stats().deadLettered === 1,
      );
      expect(handled[0]!.taskId).toBe(good.taskId);
      const letters: DeadLetterMessage[] = [];
      await using reader = await DeadLetterHandler.start({
        kafka,
        config,
        groupId: `${consumer.groupId}.dlq`,
        handler: (m) => void letters.push(m),
      });
      await until('the dead letter read back', () => letters.length === 1);
      expect(letters[0]).toMatchObject({
        originalTopic: names.tasks,
        originalPartition: poison!.partition,
        originalOffset: Number(poison!.baseOffset),
        originalKey: run,
        consumerGroup: consumer.groupId,
        reason: 'MESSAGE_DECODE_FAILED',
        payload: '{"taskId": oops',
      });
      expect(reader.stats().rejected).toBe(0);
    });

    it('joins, rebalances when a second member comes and goes, and a stopped member sends nothing more', async () => {
      const config = await freshConfig('group', ['tasks']);
      const names = topicNames(config);
      const a = adapterClient('member-a');
      const b = adapterClient('member-b');
      const seenA: number[] = [];
      const seenB: number[] = [];
      const group = () => describeGroup(admin, config.consumer.groupId);
      const owners = async () =>
        (await group()).members.map((m) => [m.clientId, m.assignment[names.tasks] ?? []] as const);
      await using memberA = await TaskConsumer.start({
        kafka: a.kafka,
        config,
        handler: (m) => void seenA.push(m.attempt),
      });
      await until(
        'member a owning every partition',
        async () => JSON.stringify(await owners()) === JSON.stringify([[a.clientId, [0, 1, 2]]]),
      );
      const memberB = await TaskConsumer.start({ kafka: b.kafka, config, handler: (m) => void seenB.push(m.attempt) });
      try {
        await until('the partitions split between a and b', async () => {
          const now = await owners();
          return (
            now.length === 2 &&
            now.every(([, ps]) => ps.length > 0) &&
            now
              .flatMap(([, ps]) => ps)
              .sort()
              .join() === '0,1,2'
          );
        });
        for (const seq of [0, 1, 2]) await seed(config, seq);
        await until('three tasks handled by the two members', () => seenA.length + seenB.length === 3);
        expect(seenA.length > 0 && seenB.length > 0).toBe(true);
      } finally {
        await memberB.stop();
      }
      const stoppedAt = counter.count(b.clientId);
      expect(counter.count(b.clientId, API_KEYS.Fetch), "member b's fetches, counted while it ran").toBeGreaterThan(0);
      await until(
        'member a owning every partition again',
        async () => JSON.stringify(await owners()) === JSON.stringify([[a.clientId, [0, 1, 2]]]),
      );
      for (const seq of [3, 4, 5]) await seed(config, seq);
      await until("member a handling the tasks of b's partitions", () => [3, 4, 5].every((seq) => seenA.includes(seq)));
      // Member a keeps fetching meanwhile: a stopped member that spun, or rejoined, would have sent requests by now.
      const fetchesA = counter.count(a.clientId, API_KEYS.Fetch);
      await until('member a fetching five more times', () => counter.count(a.clientId, API_KEYS.Fetch) >= fetchesA + 5);
      expect(counter.count(b.clientId)).toBe(stoppedAt);
      expect(seenB.some((seq) => seq >= 3)).toBe(false);
    });

    it("feels the advertised lane's faults: latency slows a send, a cut holds a consumer back until it lifts", async () => {
      const config = await freshConfig('faults', ['tasks']);
      const names = topicNames(config);
      const producerClient = adapterClient('faults-p');
      await using producer = await TaskProducer.connect({ kafka: producerClient.kafka, config });
      await producer.send(task(0));
      const latency = await proxies.network().latency(400, { client: ADVERTISED_LANE });
      const started = performance.now();
      try {
        await producer.send(task(1));
      } finally {
        await latency.remove();
      }
      expect(performance.now() - started).toBeGreaterThanOrEqual(400);

      const consumerClient = adapterClient('faults-c');
      const seen: number[] = [];
      await using consumer = await TaskConsumer.start({
        kafka: consumerClient.kafka,
        config,
        handler: (m) => void seen.push(m.attempt),
      });
      await until('the records before the cut', () => seen.length === 2);
      const before = counter.count(consumerClient.clientId);
      const cut = await proxies.network().resetPeer({ client: ADVERTISED_LANE });
      try {
        await seed(config, 2);
        await until(
          'the consumer to try again through the cut',
          () => counter.count(consumerClient.clientId) >= before + 3,
        );
        expect(seen.toSorted()).toEqual([0, 1]); // its every way to the brokers is cut
      } finally {
        await cut.remove();
      }
      await until('the record written during the cut handled once it lifted', () => seen.includes(2), 60_000);
      expect(consumer.failure).toBeUndefined();
    });
  },
);

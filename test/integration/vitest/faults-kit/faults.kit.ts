import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from '../../../../harness/clients/kafkajs.js';
import { expect, it } from 'vitest';
import { gamelanKafka, useFaults } from '../../../../harness/vitest/index.js';

// useFaults() as a user calls it: faults for this file, removed after each test.
const faults = useFaults();

const client = (socketFactory?: ReturnType<ReturnType<typeof faults>['network']['socketFactory']>) =>
  new Kafka({
    brokers: [...gamelanKafka().bootstrapServers],
    logLevel: logLevel.NOTHING,
    requestTimeout: 1_500,
    connectionTimeout: 1_500,
    retry: { retries: 0 },
    ...(socketFactory && { socketFactory }),
  });

it('a blackhole on the lane stops a client that goes through it', async () => {
  const { network } = faults();
  const admin = client(network.socketFactory()).admin();
  await admin.connect();
  try {
    await expect(admin.listTopics()).resolves.toEqual(expect.any(Array));
    await network.blackhole();
    await expect(admin.listTopics()).rejects.toThrow();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
});

it('the blackhole of the last test is gone: the same lane answers again', async () => {
  const { network } = faults();
  const admin = client(network.socketFactory()).admin();
  await admin.connect();
  try {
    await expect(admin.listTopics()).resolves.toEqual(expect.any(Array));
    expect(network.bypassed()).toEqual([]);
  } finally {
    await admin.disconnect();
  }
});

const stateOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
/** This project's setup starts native nodes: each is a host process. */
const firstNode = () => {
  const [node] = gamelanKafka().faults!.nodes;
  if (!node || !('pid' in node)) throw new Error(`expected a native node with a pid, got ${JSON.stringify(node)}`);
  return node;
};

it('pauses a broker node; it is resumed after the test', async () => {
  const { brokers, proxiedBootstrapServers } = faults();
  expect(proxiedBootstrapServers.length).toBe(1);
  const node = firstNode();
  await brokers.pause(node.nodeId);
  expect(stateOf(node.pid)).toBe('T');
});

it('the node paused by the last test runs again', () => {
  expect(stateOf(firstNode().pid)).not.toBe('T');
});

import { performance } from 'node:perf_hooks';
import type { KafkaConfig, Producer } from 'kafkajs';
import type { Admin } from '../../../harness/clients/client-api.js';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import {
  brokerAddresses,
  NetworkFaults,
  type StartedToxiproxy,
  startToxiproxy,
} from '../../../harness/faults/index.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';
import { faultProxiesUnderTest } from '../../support/fault-proxies.js';

// Network faults on a real broker: two client lanes ('a' and 'b') reach it through their own
// proxies. The same tests run through every fault proxy this machine offers (Toxiproxy, its
// container, the built-in proxy), on one broker. The assertions are about correctness (a fault is
// in force exactly where it was put, and gone once removed); the figures are printed, not judged
// as benchmarks.

const kinds = await faultProxiesUnderTest('network fault tests');
let broker: StartedBroker;
let admin: Admin;

beforeAll(async () => {
  if (kinds.every((k) => k.unavailable)) return;
  broker = await startTestBroker();
  admin = await broker.admin();
});

afterAll(async () => {
  await broker?.stop();
});

describe.each(kinds.filter((k) => !k.unavailable).map((k) => k.kind))(
  'network faults through %s on a real broker',
  (kind) => {
    let toxiproxy: StartedToxiproxy;
    let faults: NetworkFaults;
    const topic = uniqueTopic(`faults-${kind}`);
    const producers: Producer[] = [];

    /** A producer of client lane `client`; `fragile`: no retries and a short request timeout, so a fault shows at once. */
    async function producer(client: string, options: { fragile?: boolean } = {}): Promise<Producer> {
      const config: KafkaConfig = {
        clientId: `faults-${client}`,
        brokers: [...broker.bootstrapServers],
        socketFactory: faults.socketFactory(client),
        logLevel: logLevel.NOTHING,
        ...(options.fragile ? { requestTimeout: 1_500, connectionTimeout: 1_500, retry: { retries: 0 } } : {}),
      };
      const p = new Kafka(config).producer({
        allowAutoTopicCreation: false,
        ...(options.fragile ? { retry: { retries: 0 } } : {}),
      });
      await p.connect();
      producers.push(p);
      return p;
    }

    const send = (p: Producer, value = 'x') => p.send({ topic, acks: -1, messages: [{ value }] });

    async function roundTrips(p: Producer, n: number): Promise<number[]> {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        await send(p);
        times.push(performance.now() - started);
      }
      return times;
    }

    async function recovers(p: Producer): Promise<void> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await send(p);
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }

    beforeAll(async () => {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      toxiproxy = await startToxiproxy({ kind });
      faults = await NetworkFaults.create({ toxiproxy, brokers: await brokerAddresses(admin), clients: ['a', 'b'] });
    });

    afterAll(async () => {
      await Promise.allSettled(producers.map((p) => p.disconnect()));
      await faults?.stop();
      await toxiproxy?.stop();
    });

    it(`is the ${kind} fault proxy, on 127.0.0.1`, () => {
      expect(toxiproxy.source.kind).toEqual(kind === 'toxiproxy' ? expect.stringMatching(/^(url|binary)$/) : kind);
      expect(faults.proxyAddress('a', 1)).toMatch(/^127\.0\.0\.1:\d+$/);
    });

    it('adds latency to one client lane: its produce round trip grows by at least the latency, the other lane is untouched', async () => {
      const latencyMs = 600;
      const a = await producer('a');
      const b = await producer('b');
      const before = Math.min(...(await roundTrips(a, 5)));
      const fault = await faults.latency(latencyMs, { client: 'a' });
      const afterA = await roundTrips(a, 3);
      const afterB = await roundTrips(b, 3);
      await fault.remove();
      const healed = Math.min(...(await roundTrips(a, 3)));
      console.log(
        `${kind}: produce round trip (acks all), lane a: ${before.toFixed(1)} ms before, ${afterA.map((t) => t.toFixed(0)).join('/')} ms with ${latencyMs} ms latency, ${healed.toFixed(1)} ms healed; lane b meanwhile ${afterB.map((t) => t.toFixed(0)).join('/')} ms`,
      );
      expect(Math.min(...afterA)).toBeGreaterThanOrEqual(latencyMs); // each response was held latencyMs
      expect(Math.min(...afterA) - before).toBeGreaterThanOrEqual(latencyMs - before); // i.e. it grew by at least the latency over the fastest clean trip
      expect(Math.max(...afterB)).toBeLessThan(latencyMs);
      expect(healed).toBeLessThan(latencyMs);
    });

    it('a blackhole makes a send time out, and the client recovers once it is lifted', async () => {
      const a = await producer('a', { fragile: true });
      await send(a);
      const fault = await faults.blackhole({ client: 'a', forMs: 3_000 });
      const started = performance.now();
      await expect(send(a)).rejects.toThrow(/timed out|timeout/i);
      const failedAfter = performance.now() - started;
      await fault.removed;
      const lifted = performance.now();
      await recovers(a);
      console.log(
        `${kind}: blackhole: send failed after ${failedAfter.toFixed(0)} ms; sent again ${(performance.now() - lifted).toFixed(0)} ms after the blackhole was lifted`,
      );
      expect(failedAfter).toBeGreaterThanOrEqual(1_400); // it waited for the request timeout, not an instant refusal
    });

    it('reset_peer drops the connections (a send fails) and the client reconnects once removed', async () => {
      const a = await producer('a', { fragile: true });
      await send(a);
      const fault = await faults.resetPeer({ client: 'a' });
      await expect(send(a)).rejects.toThrow(/connect|closed|ECONNRESET|socket/i);
      await fault.remove();
      await recovers(a);
    });

    it('down refuses a lane until removed, while the other lane keeps working', async () => {
      const a = await producer('a', { fragile: true });
      const b = await producer('b');
      const fault = await faults.down({ client: 'a' });
      await expect(send(a)).rejects.toThrow();
      await send(b);
      await fault.remove();
      await recovers(a);
    });

    it('bandwidth limits throughput: 300 KB at 100 KB/s takes seconds', async () => {
      const a = await producer('a');
      const value = 'y'.repeat(300 * 1024);
      const fault = await faults.bandwidth(100, { client: 'a', direction: 'upstream' });
      const started = performance.now();
      await send(a, value);
      const took = performance.now() - started;
      await fault.remove();
      console.log(`${kind}: bandwidth 100 KB/s: a 300 KB record took ${took.toFixed(0)} ms to produce`);
      expect(took).toBeGreaterThanOrEqual(2_000);
    });

    it('slicer cuts traffic into small packets and records still arrive intact', async () => {
      const a = await producer('a');
      const value = `sliced-${'z'.repeat(4096)}`;
      const fault = await faults.slicer(
        { averageSize: 16, sizeVariation: 8, delayUs: 10 },
        { client: 'a', direction: 'both' },
      );
      await send(a, value);
      await fault.remove();
      const consumer = broker
        .kafka('faults-reader')
        .consumer({ groupId: uniqueTopic('faults-reader'), maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const seen = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => (message.value?.toString() === value ? resolve() : undefined),
        });
      });
      await seen;
      await consumer.disconnect();
    });

    it('every connection went through a proxy, and bad targets are named', async () => {
      expect(faults.bypassed()).toEqual([]);
      await expect(faults.latency(10, { broker: 99 })).rejects.toMatchObject({
        code: 'FAULT_TARGET_UNKNOWN',
        message: expect.stringContaining('unknown broker 99'),
      });
      await expect(faults.latency(10, { client: 'nobody' })).rejects.toMatchObject({
        code: 'FAULT_TARGET_UNKNOWN',
        message: expect.stringContaining('unknown client "nobody"; known: a, b'),
      });
      await expect(faults.latency(-1)).rejects.toMatchObject({
        code: 'FAULT_PROXY_INVALID',
        message: 'latency ms = -1 is not allowed: must be a number ≥ 0',
      });
    });
  },
);

import { performance } from 'node:perf_hooks';
import type { Producer } from 'kafkajs';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedNativeBroker } from '../../../harness/brokers/index.js';
import {
  ADVERTISED_LANE,
  type AdvertisedProxies,
  advertisedProxies,
  type StartedToxiproxy,
  startToxiproxy,
} from '../../../harness/faults/index.js';
import { nativeUnavailable, startNativeTestBroker, uniqueTopic } from '../../support/broker.js';
import { faultProxiesUnderTest } from '../../support/fault-proxies.js';

// A native broker that advertises the fault proxy's ports: a plain client (no socket factory, as a
// Java executor would be) that bootstraps from proxiedBootstrapServers reaches the broker only
// through the proxy, so a fault there hits all of its traffic; the direct listener is untouched.
// Once per fault proxy this machine offers (the proxies are wired in at the broker's start, so each
// kind has its broker, one after the other). Through the container, the proxy shares the host's
// network: the ports it reports are the ones clients reach, so they are what the broker advertises.

const native = await nativeUnavailable();
if (native) console.warn(`[skip] advertised fault proxy tests: ${native}`);
const kinds = native
  ? []
  : (await faultProxiesUnderTest('advertised fault proxy tests')).filter((k) => !k.unavailable).map((k) => k.kind);

describe.skipIf(kinds.length === 0).each(kinds.length ? kinds : (['builtin'] as const))(
  'brokers advertising the %s fault proxy',
  (kind) => {
    let toxiproxy: StartedToxiproxy;
    let proxies: AdvertisedProxies;
    let broker: StartedNativeBroker;
    const topic = uniqueTopic(`advertised-${kind}`);
    const producers: Producer[] = [];

    async function producer(brokers: readonly string[], clientId: string): Promise<Producer> {
      const kafka = new Kafka({
        clientId,
        brokers: [...brokers],
        requestTimeout: 1_500,
        connectionTimeout: 1_500,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      });
      const p = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
      await p.connect();
      producers.push(p);
      return p;
    }
    const send = (p: Producer) => p.send({ topic, acks: -1, messages: [{ value: 'x' }] });

    beforeAll(async () => {
      toxiproxy = await startToxiproxy({ kind });
      proxies = advertisedProxies(toxiproxy);
      broker = await startNativeTestBroker({ faultProxy: proxies.faultProxy });
      await (
        await broker.admin()
      ).createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    });

    afterAll(async () => {
      await Promise.allSettled(producers.map((p) => p.disconnect()));
      await broker?.stop();
      await proxies?.stop();
      await toxiproxy?.stop();
    });

    it('advertises the proxy ports to clients that bootstrap from them', async () => {
      expect(toxiproxy.source.kind).toEqual(kind === 'toxiproxy' ? expect.stringMatching(/^(url|binary)$/) : kind);
      expect(broker.proxiedBootstrapServers).toEqual([proxies.network().proxyAddress(ADVERTISED_LANE, 1)]);
      expect(broker.proxiedBootstrapServers![0]).toMatch(/^127\.0\.0\.1:\d+$/);
      const admin = new Kafka({
        clientId: 'advertised-admin',
        brokers: [...broker.proxiedBootstrapServers!],
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      await admin.disconnect();
      expect(brokers.map((b) => `${b.host}:${b.port}`)).toEqual(broker.proxiedBootstrapServers);
    });

    it('a fault aimed at one client says the advertised lane is shared and how to fault anyway', async () => {
      await expect(proxies.network().latency(10, { client: 'engine' })).rejects.toMatchObject({
        code: 'FAULT_TARGET_UNKNOWN',
        message: expect.stringMatching(/unknown client "engine"; .*only the "advertised" lane.*--client kafkajs/),
      });
    });

    it('a blackhole on the broker side times out a proxied client, not a direct one, and lifts', async () => {
      const proxied = await producer(broker.proxiedBootstrapServers!, 'advertised-proxied');
      const direct = await producer(broker.bootstrapServers, 'advertised-direct');
      await send(proxied);
      const fault = await proxies.network().blackhole({ broker: 1, forMs: 3_000 });
      await expect(send(proxied)).rejects.toThrow(/timed out|timeout/i);
      await send(direct);
      await fault.removed;
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await send(proxied);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });

    it('latency on the broker side grows a proxied round trip by at least the latency', async () => {
      const proxied = await producer(broker.proxiedBootstrapServers!, 'advertised-latency');
      await send(proxied);
      const fault = await proxies.network().latency(500);
      const started = performance.now();
      await send(proxied);
      const took = performance.now() - started;
      await fault.remove();
      expect(took).toBeGreaterThanOrEqual(500);
    });
  },
);

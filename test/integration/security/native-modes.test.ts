import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedNativeBroker } from '../../../harness/brokers/index.js';
import { waitForCluster } from '../../../harness/brokers/readiness.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { type ClientSecurity, type SecurityMode, usesSasl, usesTls } from '../../../harness/config/security.js';
import { BrokerError } from '../../../harness/errors.js';
import { describeGroupWithKafkaTool } from '../../../harness/topics/kafka-tool.js';
import { openWorkspace } from '../../../harness/workspace/workspace.js';
import { nativeUnavailable, startNativeTestBroker, uniqueTopic } from '../../support/broker.js';

// Each secure mode on a real native broker, one broker at a time: the client listener speaks the mode
// (inter-broker stays PLAINTEXT on loopback), a produce/consume round trip works with the broker's own
// clients, a child executor connects from the environment it is given, and a wrong password or an
// untrusted certificate is refused with one sentence (BROKER_AUTH_FAILED), fast, never a 60 s timeout.

const skip = await nativeUnavailable();
const PASSWORD = 'Given-Password-4711';

let lastGroup = { topic: '', group: '' };

async function roundTrip(broker: StartedNativeBroker): Promise<string> {
  const topic = uniqueTopic('secure');
  lastGroup = { topic, group: `${topic}-group` };
  const admin = await broker.admin();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  const kafka = broker.kafka('secure-round-trip');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'k', value: `hello over ${broker.security.mode}` }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const value = await new Promise<string>(
    (resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }),
  );
  await consumer.disconnect();
  return value;
}

/** The rejection of a readiness wait with this security, and how long it took. */
async function refused(
  broker: StartedNativeBroker,
  security: ClientSecurity,
): Promise<{ error: BrokerError; ms: number }> {
  const t0 = performance.now();
  const error = await waitForCluster({ bootstrapServers: broker.bootstrapServers, security, timeoutMs: 30_000 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BrokerError);
  return { error: error as BrokerError, ms: performance.now() - t0 };
}

describe.skipIf(skip !== undefined).each(['sasl-scram', 'tls', 'sasl-ssl'] as const satisfies readonly SecurityMode[])(
  'a native broker with --security %s',
  (mode) => {
    let broker: StartedNativeBroker;
    beforeAll(async () => {
      broker = await startNativeTestBroker({ security: { mode, password: PASSWORD } });
    });
    afterAll(() => broker?.stop());

    it('listens with the mode on 127.0.0.1, brokers among themselves on a PLAINTEXT loopback listener', async () => {
      const protocol = { 'sasl-scram': 'SASL_PLAINTEXT', tls: 'SSL', 'sasl-ssl': 'SASL_SSL' }[mode];
      const { readFileSync } = await import('node:fs');
      const properties = readFileSync(broker.nodes[0]!.propertiesFile, 'utf8');
      expect(properties).toMatch(
        new RegExp(
          `^listeners=${protocol}://127\\.0\\.0\\.1:\\d+,CONTROLLER://127\\.0\\.0\\.1:\\d+,INTERNAL://127\\.0\\.0\\.1:\\d+$`,
          'm',
        ),
      );
      expect(properties).toContain('inter.broker.listener.name=INTERNAL');
      expect(properties).not.toContain(PASSWORD); // SCRAM users live in the metadata log, salted
      expect(broker.security.mode).toBe(mode);
    });

    it('round-trips a record with the broker’s clients', async () => {
      expect(await roundTrip(broker)).toBe(`hello over ${mode}`);
    });

    it.skipIf(mode !== 'sasl-ssl')(
      'Kafka’s own kafka-consumer-groups reads the group through a private --command-config',
      async () => {
        const rows = await describeGroupWithKafkaTool(broker.bootstrapServers, lastGroup.group, broker.security);
        expect(rows.map((r) => r.topic)).toEqual([lastGroup.topic]);
      },
      60_000,
    );

    it('a child executor connects with the environment it is given (KAFKA_SECURITY_PROTOCOL, …) and joins its group', async () => {
      // The workspace provisions its own topics and hands the broker's security to the child.
      await using workspace = await openWorkspace(broker, DEFAULT_CONFIG, { name: `secure-${mode}` });
      const child = await workspace.startExecutorProcess({ executorType: 'secure-child' });
      expect(child.pid).toBeGreaterThan(0);
    });

    it.skipIf(mode === 'tls')(
      'a wrong password is refused at once with one sentence that does not show it',
      async () => {
        if (!usesSasl(broker.security)) throw new Error('unreachable');
        const wrong = {
          ...broker.security,
          sasl: { ...broker.security.sasl, password: 'Wrong-Password-0000' },
        } as ClientSecurity;
        const { error, ms } = await refused(broker, wrong);
        expect(error.code).toBe('BROKER_AUTH_FAILED');
        expect(error.message).toMatch(
          /^Kafka at 127\.0\.0\.1:\d+ refused the SCRAM-SHA-512 login of user "gamelan" \(wrong user name or password\): check .+\.$/,
        );
        expect(error.message.split(/\. /)).toHaveLength(1); // one sentence
        expect(error.message).not.toContain('Wrong-Password-0000');
        expect(ms).toBeLessThan(15_000);
      },
    );

    it.skipIf(mode === 'sasl-scram')(
      'a client that does not trust the broker’s CA is refused with one sentence',
      async () => {
        if (!usesTls(broker.security)) throw new Error('unreachable');
        const untrusted = { ...broker.security, tls: { verifyHostname: true } } as ClientSecurity; // system CAs only
        const { error } = await refused(broker, untrusted);
        expect(error.code).toBe('BROKER_AUTH_FAILED');
        expect(error.message).toMatch(
          /presented a TLS certificate this client does not trust \(SELF_SIGNED_CERT_IN_CHAIN\)/,
        );
      },
    );
  },
);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerBrokerProvider, type StartedContainerBroker } from '../../../harness/brokers/index.js';
import { ExternalBrokerProvider } from '../../../harness/brokers/external.js';
import { waitForCluster } from '../../../harness/brokers/readiness.js';
import { type ClientSecurity, usesSasl } from '../../../harness/config/security.js';
import { BrokerError } from '../../../harness/errors.js';
import { uniqueTopic } from '../../support/broker.js';
import { containerUnavailable } from '../container/support.js';

// A container broker in sasl-ssl (where a Docker engine and the Kafka image are present; run
// scripts/container-setup.sh): certificates made on the host, keystore and SCRAM user copied in,
// the client port published on 127.0.0.1 only. Its clients round-trip a record; a wrong password is
// refused in one sentence; an external provider given the same security connects too.

const skip = await containerUnavailable();

describe.skipIf(skip !== undefined)('a container broker with --security sasl-ssl', () => {
  let broker: StartedContainerBroker;
  beforeAll(async () => {
    broker = await new ContainerBrokerProvider().start({ security: { mode: 'sasl-ssl' } });
  }, 180_000);
  afterAll(() => broker?.stop());

  it('round-trips a record over SASL_SSL on 127.0.0.1', async () => {
    expect(broker.bootstrapServers.every((s) => s.startsWith('127.0.0.1:'))).toBe(true);
    expect(broker.security.mode).toBe('sasl-ssl');
    const topic = uniqueTopic('container-secure');
    await (await broker.admin()).createTopics({ topics: [{ topic }], waitForLeaders: true });
    const kafka = broker.kafka('container-secure');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'over sasl-ssl in a container' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${topic}-g` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const value = await new Promise<string>(
      (resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }),
    );
    await consumer.disconnect();
    expect(value).toBe('over sasl-ssl in a container');
  });

  it('a wrong password is refused with one sentence', async () => {
    if (!usesSasl(broker.security)) throw new Error('unreachable');
    const wrong = {
      ...broker.security,
      sasl: { ...broker.security.sasl, password: 'Wrong-Password-0000' },
    } as ClientSecurity;
    const error = await waitForCluster({
      bootstrapServers: broker.bootstrapServers,
      security: wrong,
      timeoutMs: 30_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect((error as BrokerError).code).toBe('BROKER_AUTH_FAILED');
  });

  it('the external provider connects to it with the same security (as --command-config gives it)', async () => {
    const external = await new ExternalBrokerProvider().start({
      bootstrapServers: broker.bootstrapServers,
      clientSecurity: broker.security,
    });
    try {
      expect((await (await external.admin()).describeCluster()).brokers).toHaveLength(1);
    } finally {
      await external.stop();
    }
  });
});

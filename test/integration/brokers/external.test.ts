import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalBrokerProvider, type StartedBroker } from '../../../harness/brokers/index.js';
import { startTestBroker } from '../../support/broker.js';

describe('the external provider', () => {
  let owned: StartedBroker;
  beforeAll(async () => {
    owned = await startTestBroker();
  });
  afterAll(() => owned?.stop());

  it('connects to given bootstrap servers, and stop() only disconnects', async () => {
    const external = await new ExternalBrokerProvider({ env: {} }).start({ bootstrapServers: owned.bootstrapServers });
    expect(external.kind).toBe('external');
    expect(external.brokerCount).toBe(owned.brokerCount);
    expect((await (await external.admin()).describeCluster()).brokers.length).toBeGreaterThan(0);
    await external.stop();
    // The cluster it connected to is still up.
    expect((await (await owned.admin()).describeCluster()).brokers.length).toBe(owned.brokerCount);
  });

  it('reads GAMELAN_KAFKA_BOOTSTRAP_SERVERS', async () => {
    const external = await new ExternalBrokerProvider({
      env: { GAMELAN_KAFKA_BOOTSTRAP_SERVERS: owned.bootstrapServers.join(',') },
    }).start();
    await external.stop();
    expect(external.bootstrapServers).toEqual(owned.bootstrapServers);
  });

  it('fails with BROKER_NOT_READY when nothing answers', async () => {
    const provider = new ExternalBrokerProvider({ env: {}, readyTimeoutMs: 1_500 });
    await expect(provider.start({ bootstrapServers: ['127.0.0.1:1'] })).rejects.toMatchObject({
      code: 'BROKER_NOT_READY',
    });
  });
});

import type { FaultProxyHook } from '../brokers/types.js';
import { FaultError } from '../errors.js';
import { ADVERTISED_LANE, NetworkFaults } from './network.js';
import type { StartedToxiproxy } from './toxiproxy-server.js';

export { ADVERTISED_LANE };

export interface AdvertisedProxies extends AsyncDisposable {
  /** Pass as `faultProxy` to the (native) broker start. */
  readonly faultProxy: FaultProxyHook;
  /** The faults on those proxies (lane `advertised`), once the broker start made them. */
  network(): NetworkFaults;
  stop(): Promise<void>;
}

/**
 * Proxies the brokers themselves advertise, for clients the harness cannot hand a socket factory
 * (a Java or any external executor): they bootstrap from `proxiedBootstrapServers` and every
 * connection they open afterwards goes through a proxy, so per-broker faults reach them too.
 */
export function advertisedProxies(toxiproxy: StartedToxiproxy): AdvertisedProxies {
  let network: NetworkFaults | undefined;
  const stop = async () => {
    await network?.stop();
  };
  return {
    faultProxy: async (upstreams) => {
      if (network)
        throw new FaultError(
          'FAULT_FAILED',
          'these advertised proxies already front a cluster: make one advertisedProxies() per broker start',
        );
      network = await NetworkFaults.create({ toxiproxy, brokers: upstreams, clients: [ADVERTISED_LANE] });
      return new Map(
        upstreams.map((u) => [u.nodeId, Number(network!.proxyAddress(ADVERTISED_LANE, u.nodeId).split(':').pop())]),
      );
    },
    network: () => {
      if (!network)
        throw new FaultError('FAULT_FAILED', 'no advertised proxies yet: pass faultProxy to the broker start first');
      return network;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

import { BrokerError } from '../errors.js';
import type { Env } from './native/cache.js';
import { waitForCluster } from './readiness.js';
import { createStartedBroker } from './started.js';
import type { BrokerProvider, BrokerStartOptions, StartedBroker } from './types.js';

// An existing cluster the harness does not own: it only connects, and stop() only disconnects.

export const BOOTSTRAP_ENV_VARS = ['GAMELAN_KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_BOOTSTRAP_SERVERS'] as const;

/** `host:port` list from the first bootstrap variable that is set (comma separated). */
export function bootstrapServersFromEnv(env: Env = process.env): { servers: string[]; variable: string } | undefined {
  for (const variable of BOOTSTRAP_ENV_VARS) {
    const servers = parseBootstrapServers(env[variable]);
    if (servers.length > 0) return { servers, variable };
  }
  return undefined;
}

export function parseBootstrapServers(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^[A-Za-z]+:\/\//, '')) // tolerate PLAINTEXT://host:port
    .filter((s) => s.length > 0);
}

export interface ExternalProviderOptions {
  readonly env?: Env;
  readonly readyTimeoutMs?: number;
}

export class ExternalBrokerProvider implements BrokerProvider {
  readonly kind = 'external' as const;
  readonly #env: Env;
  readonly #readyTimeoutMs: number;

  constructor(options: ExternalProviderOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  }

  async unavailableReason(): Promise<string | undefined> {
    return bootstrapServersFromEnv(this.#env)
      ? undefined
      : `no bootstrap servers: set ${BOOTSTRAP_ENV_VARS.join(' or ')} (e.g. localhost:9092)`;
  }

  async start(options: BrokerStartOptions = {}): Promise<StartedBroker> {
    const servers = options.bootstrapServers?.length ? [...options.bootstrapServers] : bootstrapServersFromEnv(this.#env)?.servers;
    if (!servers) {
      throw new BrokerError(
        'PROVIDER_UNAVAILABLE',
        `The external provider needs bootstrap servers: pass bootstrapServers (--bootstrap-servers) or set ${BOOTSTRAP_ENV_VARS.join(' or ')}.`,
      );
    }
    options.onProgress?.({ step: 'wait-ready', state: 'start', message: `Connecting to ${servers.join(',')}` });
    const cluster = await waitForCluster({
      bootstrapServers: servers,
      expectedBrokers: 1,
      timeoutMs: this.#readyTimeoutMs,
      ...(options.signal && { signal: options.signal }),
      hint: 'Check the servers are reachable from here and advertise addresses this machine can resolve.',
    });
    options.onProgress?.({ step: 'wait-ready', state: 'done', message: `Connected: ${cluster.brokers} broker(s)` });
    return createStartedBroker({
      kind: 'external',
      bootstrapServers: servers,
      brokerCount: cluster.brokers,
      logFiles: [],
      teardown: async () => {},
    });
  }
}

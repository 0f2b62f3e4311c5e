import { BOOTSTRAP_ENV_VARS, bootstrapServersFromEnv, parseBootstrapServers } from '../config/bootstrap.js';
import { readCommandConfig } from '../config/command-config.js';
import { BrokerError, ConfigError } from '../errors.js';
import { waitForCluster } from './readiness.js';
import { createStartedBroker } from './started.js';
import type { BrokerProvider, BrokerStartOptions, Env, StartedBroker } from './types.js';

// An existing cluster the harness does not own: it only connects, and stop() only disconnects.
// Its bootstrap servers come from options.bootstrapServers, else the environment (config/bootstrap.ts).

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
    try {
      return bootstrapServersFromEnv(this.#env)
        ? undefined
        : `no bootstrap servers: set ${BOOTSTRAP_ENV_VARS.join(' or ')} (e.g. localhost:9092)`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  async start(options: BrokerStartOptions = {}): Promise<StartedBroker> {
    const servers = options.bootstrapServers?.length
      ? parseBootstrapServers(options.bootstrapServers, 'bootstrapServers')
      : bootstrapServersFromEnv(this.#env)?.servers;
    if (!servers) {
      throw new BrokerError(
        'PROVIDER_UNAVAILABLE',
        `The external provider needs bootstrap servers: pass bootstrapServers (--bootstrap-servers) or set ${BOOTSTRAP_ENV_VARS.join(' or ')}.`,
      );
    }
    if (options.security && options.security.mode !== 'plaintext') {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `security ${options.security.mode} is for brokers the harness starts; describe how to reach an external cluster with commandConfig (--command-config client.properties).`,
        {
          key: 'security',
          value: options.security.mode,
        },
      );
    }
    const security =
      options.clientSecurity ??
      (options.commandConfig !== undefined ? await readCommandConfig(options.commandConfig, this.#env) : undefined);
    options.onProgress?.({ step: 'wait-ready', state: 'start', message: `Connecting to ${servers.join(',')}` });
    const cluster = await waitForCluster({
      bootstrapServers: servers,
      expectedBrokers: 1,
      timeoutMs: this.#readyTimeoutMs,
      ...(options.signal && { signal: options.signal }),
      ...(security && { security }),
      hint: 'Check the servers are reachable from here and advertise addresses this machine can resolve.',
    });
    options.onProgress?.({ step: 'wait-ready', state: 'done', message: `Connected: ${cluster.brokers} broker(s)` });
    return createStartedBroker({
      kind: 'external',
      bootstrapServers: servers,
      brokerCount: cluster.brokers,
      logFiles: [],
      ...(security && { security }),
      ...(options.client && { client: options.client }),
      teardown: async () => {},
    });
  }
}

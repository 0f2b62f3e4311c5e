import type { TestProject } from 'vitest/node';
import { type GamelanKafkaConfig, type TopicRole, topicNames } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { advertisedProxies } from '../faults/advertised.js';
import { isFaultableCluster } from '../faults/cluster-faults.js';
import { startToxiproxy } from '../faults/toxiproxy-server.js';
import { startStack } from '../stack/start-stack.js';
import { providerFromEnv } from '../config/provider-env.js';
import { type ClientSecurity, parseSecurityMode } from '../config/security.js';

// A vitest globalSetup: one real broker with the Gamelan topics for the whole test run, shared by
// every test file through `gamelanKafka()` (vitest's provide/inject). In vitest.config.ts:
//   test: { globalSetup: ['gamelan-kafka-harness/vitest/global-setup'] }
// GAMELAN_KAFKA_PROVIDER picks the provider (default auto), GAMELAN_CONFIG a Gamelan configuration file,
// GAMELAN_KAFKA_SECURITY the broker's --security (default plaintext; password from GAMELAN_KAFKA_SASL_PASSWORD or random).

/** What test files get from `gamelanKafka()`. */
export interface GamelanKafkaContext {
  readonly bootstrapServers: readonly string[];
  readonly brokerCount: number;
  readonly topics: Readonly<Record<TopicRole, string>>;
  readonly config: GamelanKafkaConfig;
  /** How clients connect (GAMELAN_KAFKA_SECURITY); holds the password: never print it. */
  readonly security: ClientSecurity;
  /** With `createGlobalSetup({ faultProxy: true })`: what `useFaults()` drives. */
  readonly faults?: GamelanFaultsContext;
}

/** The fault proxy of the global setup's cluster: its Toxiproxy, the proxies the brokers advertise, the node processes. */
export interface GamelanFaultsContext {
  readonly toxiproxyUrl: string;
  /** Clients bootstrapping here reach the brokers only through the advertised proxies. */
  readonly proxiedBootstrapServers: readonly string[];
  readonly nodes: readonly { readonly nodeId: number; readonly pid: number }[];
}

/** Typed options of the global setup (the environment variables above still apply). */
export interface GamelanGlobalSetupOptions {
  /**
   * Start a native cluster behind Toxiproxy (found as `doctor` says) so test files can inject network and
   * broker faults with `useFaults()`. Needs the native provider (a JDK) and Toxiproxy. Default false.
   */
  readonly faultProxy?: boolean;
  /** KRaft nodes to start (default 1); broker faults that keep the cluster up need 3. */
  readonly brokers?: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    gamelanKafka: GamelanKafkaContext;
  }
}

/**
 * A global setup with typed options, for your own setup file:
 *   // test/global-setup.ts
 *   import { createGlobalSetup } from 'gamelan-kafka-harness/vitest/global-setup';
 *   export default createGlobalSetup({ faultProxy: true, brokers: 3 });
 */
export function createGlobalSetup(options: GamelanGlobalSetupOptions = {}): (project: TestProject) => Promise<() => Promise<void>> {
  return (project) => startGlobalSetup(project, options);
}

export default async function gamelanKafkaGlobalSetup(project: TestProject): Promise<() => Promise<void>> {
  return startGlobalSetup(project, {});
}

async function startGlobalSetup(project: TestProject, options: GamelanGlobalSetupOptions): Promise<() => Promise<void>> {
  const provider = providerFromEnv() ?? 'auto';
  if (options.faultProxy && provider !== 'native' && provider !== 'auto') {
    throw new ConfigError('CONFIG_INVALID_VALUE', `createGlobalSetup({ faultProxy: true }) needs native brokers (they advertise the proxy's ports), but GAMELAN_KAFKA_PROVIDER is ${provider}: set it to native or unset it.`, {
      key: 'faultProxy',
      value: provider,
    });
  }
  const faultProxy = options.faultProxy ? await startFaultProxy() : undefined;
  const stack = await startStack({
    kafka: faultProxy ? 'native' : provider,
    ...(options.brokers !== undefined ? { brokers: options.brokers } : {}),
    ...(faultProxy ? { faultProxy: faultProxy.proxies.faultProxy } : {}),
    ...(process.env.GAMELAN_CONFIG ? { configFile: process.env.GAMELAN_CONFIG } : {}),
    ...(process.env.GAMELAN_KAFKA_SECURITY
      ? {
          security: {
            mode: parseSecurityMode(process.env.GAMELAN_KAFKA_SECURITY, 'GAMELAN_KAFKA_SECURITY'),
            ...(process.env.GAMELAN_KAFKA_SASL_USERNAME ? { username: process.env.GAMELAN_KAFKA_SASL_USERNAME } : {}),
            ...(process.env.GAMELAN_KAFKA_SASL_PASSWORD ? { password: process.env.GAMELAN_KAFKA_SASL_PASSWORD } : {}),
          },
        }
      : {}),
  }).catch(async (error: unknown) => {
    await faultProxy?.stop();
    throw error;
  });
  const { broker } = stack;
  const faults: GamelanFaultsContext | undefined =
    faultProxy && broker.proxiedBootstrapServers && isFaultableCluster(broker)
      ? { toxiproxyUrl: faultProxy.toxiproxy.url, proxiedBootstrapServers: broker.proxiedBootstrapServers, nodes: broker.nodes.map((n) => ({ nodeId: n.nodeId, pid: n.pid })) }
      : undefined;
  project.provide('gamelanKafka', {
    bootstrapServers: broker.bootstrapServers,
    brokerCount: broker.brokerCount,
    topics: topicNames(stack.config.gamelan),
    config: stack.config.gamelan,
    security: broker.security,
    ...(faults ? { faults } : {}),
  });
  return async () => {
    await stack.stop();
    await faultProxy?.stop();
  };
}

/** Toxiproxy and the proxies the brokers will advertise; stop() after the broker has stopped. */
async function startFaultProxy() {
  const toxiproxy = await startToxiproxy();
  const proxies = advertisedProxies(toxiproxy);
  const stop = async () => {
    await proxies.stop();
    await toxiproxy.stop();
  };
  return { toxiproxy, proxies, stop };
}

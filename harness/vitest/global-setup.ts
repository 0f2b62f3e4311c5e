import { CLIENT_KINDS, type ClientKind } from '../clients/client-api.js';
import type { TestProject } from 'vitest/node';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';
import { type TopicRole } from '../vocabulary.js';
import { ConfigError } from '../errors.js';
import { advertisedProxies } from '../faults/advertised.js';
import { isFaultableCluster } from '../faults/cluster-faults.js';
import type { StartedContainerBroker } from '../brokers/container/provider.js';
import { startToxiproxy } from '../faults/fault-proxy.js';
import { startStack } from '../stack/start-stack.js';
import { providerFromEnv } from '../brokers/provider-env.js';
import { type ClientSecurity, parseSecurityMode, SECURITY_MODES, type SecurityMode } from '../config/security.js';
import { brokerCountSchema } from '../config/value-schemas.js';
import { PROVIDER_KINDS, type ProviderKind, type StartedBroker } from '../brokers/types.js';
import { DIALECT_NAMES, type DialectName } from '../vocabulary.js';
import { z } from 'zod';

// A vitest globalSetup: one real broker with the Gamelan topics for the whole test run, shared by
// every test file through `gamelanKafka()` (vitest's provide/inject). In vitest.config.ts:
//   test: { globalSetup: ['gamelan-kafka-harness/vitest/global-setup'] }
// Options come typed through createGlobalSetup({ kafka, configFile, dialect, profile, security, faultProxy, brokers });
// without them GAMELAN_KAFKA_PROVIDER picks the provider (default auto), GAMELAN_CONFIG a configuration file,
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
  /** With `createGlobalSetup({ client })`: the client library of every test file's workspace. */
  readonly client?: ClientKind;
}

/** The fault proxy of the global setup's cluster: its Toxiproxy, the proxies the brokers advertise, the nodes. */
export interface GamelanFaultsContext {
  readonly toxiproxyUrl: string;
  /** Clients bootstrapping here reach the brokers only through the advertised proxies. */
  readonly proxiedBootstrapServers: readonly string[];
  /** How a test worker reaches each node for broker faults: its process (native) or its container (container). */
  readonly nodes: readonly GamelanFaultNode[];
}

/** A native node is signalled by pid; a container node is driven through the Docker API by container id. */
export type GamelanFaultNode =
  | { readonly nodeId: number; readonly pid: number }
  | { readonly nodeId: number; readonly containerId: string; readonly containerName: string };

/**
 * Typed options of the global setup, validated when `createGlobalSetup` is called (a wrong value is a
 * ConfigError naming the option, the value and what is allowed). An option given here wins over its
 * environment variable; the variables stay for the default export and for CI overrides.
 */
export interface GamelanGlobalSetupOptions {
  /** Broker provider (default: GAMELAN_KAFKA_PROVIDER, else auto). */
  readonly kafka?: ProviderKind;
  /** A Gamelan application.properties / application.yaml (default: GAMELAN_CONFIG, else the spec's defaults). */
  readonly configFile?: string;
  /** Topic defaults of this wire dialect (default spec). */
  readonly dialect?: DialectName;
  /** Quarkus profile for `%profile.` keys in configFile (default dev). */
  readonly profile?: string;
  /** The broker's --security (default: GAMELAN_KAFKA_SECURITY, else plaintext); the password is random unless given. */
  readonly security?:
    SecurityMode | { readonly mode: SecurityMode; readonly username?: string; readonly password?: string };
  /**
   * Start the cluster behind Toxiproxy (found as `doctor` says) so test files can inject network and
   * broker faults with `useFaults()`. Needs native brokers (a JDK; what `auto` picks here) or `kafka: 'container'`
   * (a Docker engine). Default false.
   */
  readonly faultProxy?: boolean;
  /** KRaft nodes to start (default 1); broker faults that keep the cluster up need 3. */
  readonly brokers?: number;
  /**
   * The Kafka client library of the setup's and every test file's clients: `kafkajs` or `platformatic` (Node 22.22+
   * or 24.6+, else a ClientUnavailableError before the broker starts). Default: GAMELAN_KAFKA_CLIENT, else kafkajs.
   */
  readonly client?: ClientKind;
}

const globalSetupOptionsSchema = z.strictObject({
  kafka: z.enum(PROVIDER_KINDS).optional(),
  configFile: z.string().min(1).optional(),
  dialect: z.enum(DIALECT_NAMES).optional(),
  profile: z.string().min(1).optional(),
  security: z
    .union([
      z.enum(SECURITY_MODES),
      z.strictObject({
        mode: z.enum(SECURITY_MODES),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
      }),
    ])
    .optional(),
  faultProxy: z.boolean().optional(),
  brokers: brokerCountSchema.optional(),
  client: z.enum(CLIENT_KINDS).optional(),
});

/** Check the options at once, so a typo fails where it is written rather than after a broker start. */
export function parseGlobalSetupOptions(options: unknown): GamelanGlobalSetupOptions {
  const parsed = globalSetupOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data as GamelanGlobalSetupOptions;
  const issue = parsed.error.issues[0]!;
  const key =
    issue.path.length > 0 ? issue.path.join('.') : ((issue as { keys?: string[] }).keys?.join(', ') ?? '(options)');
  const value = issue.path.reduce<unknown>(
    (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey],
    options,
  );
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `createGlobalSetup: option ${key}${value === undefined ? '' : ` = ${JSON.stringify(value)}`} is invalid: ${issue.message}.`,
    {
      key: `createGlobalSetup.${key}`,
      value: value === undefined ? '' : String(value),
    },
  );
}

function securityFrom(options: GamelanGlobalSetupOptions) {
  const given = typeof options.security === 'string' ? { mode: options.security } : options.security;
  if (given) return given;
  if (!process.env.GAMELAN_KAFKA_SECURITY) return undefined;
  return {
    mode: parseSecurityMode(process.env.GAMELAN_KAFKA_SECURITY, 'GAMELAN_KAFKA_SECURITY'),
    ...(process.env.GAMELAN_KAFKA_SASL_USERNAME ? { username: process.env.GAMELAN_KAFKA_SASL_USERNAME } : {}),
    ...(process.env.GAMELAN_KAFKA_SASL_PASSWORD ? { password: process.env.GAMELAN_KAFKA_SASL_PASSWORD } : {}),
  };
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
export function createGlobalSetup(
  options: GamelanGlobalSetupOptions = {},
): (project: TestProject) => Promise<() => Promise<void>> {
  const checked = parseGlobalSetupOptions(options);
  return (project) => startGlobalSetup(project, checked);
}

export default async function gamelanKafkaGlobalSetup(project: TestProject): Promise<() => Promise<void>> {
  return startGlobalSetup(project, {});
}

async function startGlobalSetup(
  project: TestProject,
  options: GamelanGlobalSetupOptions,
): Promise<() => Promise<void>> {
  const provider = options.kafka ?? providerFromEnv() ?? 'auto';
  if (options.faultProxy && provider !== 'native' && provider !== 'container' && provider !== 'auto') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `createGlobalSetup({ faultProxy: true }) needs brokers the harness starts (they advertise the proxy's ports), but the provider is ${provider} (kafka option or GAMELAN_KAFKA_PROVIDER): use native or container, or leave it unset (native).`,
      {
        key: 'faultProxy',
        value: provider,
      },
    );
  }
  const security = securityFrom(options);
  const faultProxy = options.faultProxy ? await startFaultProxy() : undefined;
  const stack = await startStack({
    kafka: faultProxy && provider !== 'container' ? 'native' : provider,
    ...(options.brokers !== undefined ? { brokers: options.brokers } : {}),
    ...(faultProxy ? { faultProxy: faultProxy.proxies.faultProxy } : {}),
    ...((options.configFile ?? process.env.GAMELAN_CONFIG)
      ? { configFile: options.configFile ?? process.env.GAMELAN_CONFIG }
      : {}),
    ...(options.dialect || options.profile
      ? {
          load: {
            ...(options.dialect ? { dialect: options.dialect } : {}),
            ...(options.profile ? { profile: options.profile } : {}),
          },
        }
      : {}),
    ...(security ? { security } : {}),
    ...(options.client ? { client: options.client } : {}),
  }).catch(async (error: unknown) => {
    await faultProxy?.stop();
    throw error;
  });
  const { broker } = stack;
  const nodes = faultProxy ? faultNodesOf(broker) : undefined;
  const faults: GamelanFaultsContext | undefined =
    faultProxy && broker.proxiedBootstrapServers && nodes
      ? { toxiproxyUrl: faultProxy.toxiproxy.url, proxiedBootstrapServers: broker.proxiedBootstrapServers, nodes }
      : undefined;
  project.provide('gamelanKafka', {
    bootstrapServers: broker.bootstrapServers,
    brokerCount: broker.brokerCount,
    topics: topicNames(stack.config.gamelan),
    config: stack.config.gamelan,
    security: broker.security,
    ...(faults ? { faults } : {}),
    ...(options.client ? { client: options.client } : {}),
  });
  return async () => {
    await stack.stop();
    await faultProxy?.stop();
  };
}

/** What a test worker needs to reach each node (serializable: it crosses to the workers through provide/inject). */
function faultNodesOf(broker: StartedBroker): GamelanFaultNode[] | undefined {
  if (isFaultableCluster(broker)) return broker.nodes.map((n) => ({ nodeId: n.nodeId, pid: n.pid }));
  const containers = (broker as Partial<StartedContainerBroker>).containerNodes;
  return containers?.map((n) => ({ nodeId: n.nodeId, containerId: n.containerId, containerName: n.containerName }));
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

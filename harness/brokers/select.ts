import { bootstrapServersFromEnv } from '../config/bootstrap.js';
import type { GamelanKafkaConfig } from '../config/index.js';
import { BrokerError } from '../errors.js';
import {
  cachedKafkaVersions,
  DEFAULT_KAFKA_VERSION,
  findJava,
  findOnPath,
  harnessCacheDir,
  kafkaHomeProblem,
  kafkaVersion,
  type JavaInfo,
} from '../kafka-distribution/index.js';
import { chooseKafkaImage, dockerEngineAnswers, imagesPresent, KAFKA_IMAGE_CANDIDATES, RYUK_IMAGE } from './docker.js';
import { NativeBrokerProvider } from './native/provider.js';
import type { BrokerProvider, ConcreteProviderKind, Env, ProviderKind } from './types.js';

// `--kafka auto|native|container|compose|external` → a provider. auto prefers what the user pointed
// at (bootstrap servers), then a Docker engine, then a local JDK, and says which it took and why.

export interface SelectOptions {
  readonly env?: Env;
  /** The configuration whose topics `--kafka compose` creates with its one-shot service (default: the spec's). */
  readonly config?: GamelanKafkaConfig;
}

export interface AutoChoice {
  /** The provider auto takes, or undefined when none can run. */
  readonly kind: ConcreteProviderKind | undefined;
  readonly reason: string;
  /** Providers passed over, with why. */
  readonly skipped: readonly { readonly kind: ConcreteProviderKind; readonly reason: string }[];
}

export function createProvider(
  kind: ConcreteProviderKind,
  { env = process.env, config }: SelectOptions = {},
): BrokerProvider {
  switch (kind) {
    case 'native':
      return new NativeBrokerProvider({ env });
    case 'external':
      return deferredProvider(kind, async () => new (await import('./external.js')).ExternalBrokerProvider({ env }));
    case 'container':
      return deferredProvider(
        kind,
        async () => new (await import('./container/provider.js')).ContainerBrokerProvider({ env }),
      );
    case 'compose':
      return deferredProvider(
        kind,
        async () => new (await import('./compose.js')).ComposeBrokerProvider({ env, ...(config && { config }) }),
      );
  }
}

/**
 * A provider whose module is imported on first use: container and compose load testcontainers and
 * docker-compose, heavy imports a native or external start must not pay for; external
 * loads kafkajs, which a native start loads while its JVMs boot.
 */
function deferredProvider(kind: ConcreteProviderKind, load: () => Promise<BrokerProvider>): BrokerProvider {
  let provider: Promise<BrokerProvider> | undefined;
  const loaded = () => (provider ??= load());
  return {
    kind,
    unavailableReason: async () => (await loaded()).unavailableReason(),
    start: async (options) => (await loaded()).start(options),
  };
}

export async function explainAuto({ env = process.env }: SelectOptions = {}): Promise<AutoChoice> {
  const skipped: { kind: ConcreteProviderKind; reason: string }[] = [];
  const bootstrap = bootstrapServersFromEnv(env);
  if (bootstrap)
    return { kind: 'external', reason: `${bootstrap.variable} is set (${bootstrap.servers.join(',')})`, skipped };
  skipped.push({ kind: 'external', reason: 'GAMELAN_KAFKA_BOOTSTRAP_SERVERS / KAFKA_BOOTSTRAP_SERVERS not set' });

  // No Docker engine (the common case for native users): say so without loading the container provider.
  const docker = await dockerEngineAnswers(env);
  const containerWhyNot = docker.answering
    ? await createProvider('container', { env }).unavailableReason()
    : docker.detail;
  if (containerWhyNot === undefined) {
    const image = await chooseKafkaImage(undefined, env);
    return { kind: 'container', reason: `a Docker engine answers and ${image.reason} is present`, skipped };
  }
  skipped.push({ kind: 'container', reason: containerWhyNot });

  try {
    const java = await findJava(env);
    return { kind: 'native', reason: `Java ${java.version} found at ${java.path} (${java.source})`, skipped };
  } catch (error) {
    skipped.push({ kind: 'native', reason: error instanceof Error ? error.message : String(error) });
  }
  return {
    kind: undefined,
    reason:
      'No Kafka provider can run here. Install a JDK 17+ for the native broker (e.g. `apt-get install openjdk-17-jdk-headless maven`), ' +
      'or start a Docker engine, or point at a running cluster with GAMELAN_KAFKA_BOOTSTRAP_SERVERS=host:port.',
    skipped,
  };
}

/** The provider for `kind`; `auto` picks one (see explainAuto) or throws PROVIDER_UNAVAILABLE. */
export async function resolveProvider(kind: ProviderKind, options: SelectOptions = {}): Promise<BrokerProvider> {
  if (kind !== 'auto') return createProvider(kind, options);
  const choice = await explainAuto(options);
  if (!choice.kind) {
    const details = choice.skipped.map((s) => `  - ${s.kind}: ${s.reason}`).join('\n');
    throw new BrokerError('PROVIDER_UNAVAILABLE', `${choice.reason}\n${details}`);
  }
  return createProvider(choice.kind, options);
}

export interface Diagnosis {
  readonly java:
    | { readonly found: true; readonly path: string; readonly version: string; readonly source: JavaInfo['source'] }
    | { readonly found: false; readonly reason: string };
  readonly maven:
    | { readonly found: true; readonly path: string; readonly version: string }
    | { readonly found: false; readonly reason: string };
  readonly docker: {
    readonly answering: boolean;
    readonly detail: string;
    /** Kafka images present locally, in preference order (the pinned official one first). */
    readonly kafkaImages: readonly string[];
    /** The image the container provider would run (GAMELAN_KAFKA_IMAGE or the first present). */
    readonly image: { readonly name: string | undefined; readonly reason: string };
    /** Whether the Ryuk image is present (else our own reaper alone cleans up after kill -9). */
    readonly ryukImage: boolean;
    /** `docker compose`, `docker-compose`, or undefined when neither is installed. */
    readonly compose: 'docker compose' | 'docker-compose' | undefined;
  };
  readonly kafkaHome: string | undefined;
  /** Why KAFKA_HOME cannot serve the jars (it does not exist, has no libs/…); undefined when it can or is unset. */
  readonly kafkaHomeProblem?: string | undefined;
  readonly cacheDir: string;
  readonly kafkaVersion: { readonly selected: string; readonly default: string };
  readonly cachedKafkaVersions: readonly string[];
  readonly auto: AutoChoice;
}

/** What `doctor` prints: the tools found, the cache, and what auto would pick and why. */
export async function diagnose({ env = process.env }: SelectOptions = {}): Promise<Diagnosis> {
  const [java, maven, docker, auto] = await Promise.all([
    findJava(env).then(
      (j) => ({ found: true as const, path: j.path, version: j.version, source: j.source }),
      (error: unknown) => ({ found: false as const, reason: error instanceof Error ? error.message : String(error) }),
    ),
    mavenVersion(env),
    dockerDiagnosis(env),
    explainAuto({ env }),
  ]);
  const cacheDir = harnessCacheDir(env);
  return {
    java,
    maven,
    docker,
    kafkaHome: env.KAFKA_HOME,
    ...(env.KAFKA_HOME !== undefined && { kafkaHomeProblem: kafkaHomeProblem(env.KAFKA_HOME) }),
    cacheDir,
    kafkaVersion: { selected: kafkaVersion(undefined, env), default: DEFAULT_KAFKA_VERSION },
    cachedKafkaVersions: cachedKafkaVersions(cacheDir),
    auto,
  };
}

async function mavenVersion(env: Env): Promise<Diagnosis['maven']> {
  const path = findOnPath('mvn', env);
  if (!path)
    return {
      found: false,
      reason: 'mvn not on PATH (needed once per Kafka version to download the jars, unless KAFKA_HOME is set)',
    };
  const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
  const result = await execa(path, ['-v'], {
    reject: false,
    timeout: 15_000,
    env: { ...env, MAVEN_OPTS: '' },
    extendEnv: false,
  });
  // eslint-disable-next-line no-control-regex
  const first = (result.stdout ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0] ?? '';
  const version = /Apache Maven (\S+)/.exec(first)?.[1];
  return version
    ? { found: true, path, version }
    : { found: false, reason: `${path} -v failed: ${first || String(result.exitCode)}` };
}

async function dockerDiagnosis(env: Env): Promise<Diagnosis['docker']> {
  const engine = await dockerEngineAnswers(env);
  if (!engine.answering)
    return {
      ...engine,
      kafkaImages: [],
      image: { name: undefined, reason: engine.detail },
      ryukImage: false,
      compose: undefined,
    };
  const [kafkaImages, image, ryuk, compose] = await Promise.all([
    imagesPresent(KAFKA_IMAGE_CANDIDATES, env),
    chooseKafkaImage(undefined, env),
    imagesPresent([env.RYUK_CONTAINER_IMAGE ?? RYUK_IMAGE], env),
    import('./compose.js').then(({ composeExecutable }) => composeExecutable(env)),
  ]);
  const summary = [
    `Kafka images: ${kafkaImages.length > 0 ? kafkaImages.join(', ') : 'none'}`,
    `container image: ${image.reason}`,
    `compose: ${compose === undefined ? 'not installed' : 'standalone' in compose ? 'docker-compose' : 'docker compose'}`,
    `Ryuk: ${ryuk.length > 0 ? 'image present' : 'image absent, the harness reaper alone cleans up after kill -9'}`,
  ].join('; ');
  return {
    answering: true,
    detail: `${engine.detail} (${summary})`,
    kafkaImages,
    image: { name: image.image, reason: image.reason },
    ryukImage: ryuk.length > 0,
    compose: compose === undefined ? undefined : 'standalone' in compose ? 'docker-compose' : 'docker compose',
  };
}

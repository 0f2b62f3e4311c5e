import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as compose from 'docker-compose';
import { execa } from 'execa';
import type { Admin } from '../clients/client-api.js';
import { DEFAULT_BROKERS } from '../config/broker-count.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig } from '../config/index.js';
import { planTopics, type TopicPlan } from '../config/topic-plan.js';
import { BrokerError, ConfigError } from '../errors.js';
import { chooseKafkaImage, dockerEngineAnswers, removeSync, startHarnessReaper } from './docker.js';
import { LOOPBACK, newClusterId } from './kraft/index.js';
import { DEFAULT_READY_TIMEOUT_MS } from './readiness.js';
import { startFromTemplate } from './start-template.js';
import type { BrokerProvider, BrokerStartOptions, Env, StartedBroker } from './types.js';

// `--kafka compose`: docker-compose-kraft.yml driven through the docker-compose npm package, in a
// project of its own. up = the broker service(s) plus the one-shot `topics` service; ready = the
// cluster answers, `topics` exited 0 and the five topics have leaders. stop() runs `down -v`, which
// removes the containers, network and volumes of that project and nothing else.

/** The compose file shipped at the package root. */
export const COMPOSE_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  ...(import.meta.url.includes('/dist/') ? ['..'] : []),
  'docker-compose-kraft.yml',
);

export const COMPOSE_SERVICES = {
  1: { brokers: ['kafka'], topics: 'topics', profiles: [] as string[], portVars: ['GAMELAN_KAFKA_PORT'] },
  3: {
    brokers: ['kafka-1', 'kafka-2', 'kafka-3'],
    topics: 'topics-cluster',
    profiles: ['cluster'],
    portVars: ['GAMELAN_KAFKA_CLUSTER_PORT_1', 'GAMELAN_KAFKA_CLUSTER_PORT_2', 'GAMELAN_KAFKA_CLUSTER_PORT_3'],
  },
} as const;

export interface ComposeProviderOptions {
  readonly env?: Env;
  /** The compose file; default: docker-compose-kraft.yml of this package. */
  readonly file?: string;
  /** The topics the one-shot service creates; default: the spec's defaults. */
  readonly config?: GamelanKafkaConfig;
  readonly readyTimeoutMs?: number;
}

export interface StartedComposeBroker extends StartedBroker {
  readonly kind: 'compose';
  /** Compose project name: `docker compose -p <project> -f <file> down -v` removes it by hand. */
  readonly project: string;
  readonly file: string;
  readonly image: string;
  readonly topics: readonly TopicPlan[];
  readonly timings: {
    readonly upMs: number;
    readonly readyMs: number;
    readonly topicsMs: number;
    readonly totalMs: number;
  };
}

/** `docker compose` (v2 plugin) when the CLI has it, else the standalone `docker-compose`; undefined when neither. */
export async function composeExecutable(
  env: Env = process.env,
): Promise<compose.IDockerComposeOptions['executable'] | undefined> {
  const opts = { reject: false, timeout: 10_000, stdin: 'ignore', env: { ...env }, extendEnv: false } as const;
  const plugin = await execa('docker', ['compose', 'version'], opts).catch(() => undefined);
  if (plugin?.exitCode === 0) return { executablePath: 'docker', options: [] };
  const standalone = await execa('docker-compose', ['version', '--short'], opts).catch(() => undefined);
  if (standalone?.exitCode === 0) return { standalone: true };
  return undefined;
}

/** Environment for the compose file's variables: ports, image, cluster id and the configured topics. */
export function composeEnvironment(
  config: GamelanKafkaConfig,
  plans: readonly TopicPlan[],
  ports: Readonly<Record<string, number>>,
  image: string,
  clusterId: string,
): Record<string, string> {
  const byRole = Object.fromEntries(plans.map((p) => [p.role, p]));
  return {
    GAMELAN_KAFKA_IMAGE: image,
    GAMELAN_KAFKA_CLUSTER_ID: clusterId,
    GAMELAN_KAFKA_TASKS_TOPIC: byRole.tasks!.name,
    GAMELAN_KAFKA_RESULTS_TOPIC: byRole.results!.name,
    GAMELAN_KAFKA_EVENTS_TOPIC: byRole.events!.name,
    GAMELAN_KAFKA_STATUS_TOPIC: byRole.status!.name,
    GAMELAN_KAFKA_DLQ_TOPIC: byRole.dlq!.name,
    GAMELAN_KAFKA_PARTITIONS: String(config.partitions),
    GAMELAN_KAFKA_REPLICATION_FACTOR: String(plans[0]!.replicationFactor),
    GAMELAN_KAFKA_RETENTION_MS: String(plans[0]!.retentionMs),
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
}

export class ComposeBrokerProvider implements BrokerProvider {
  readonly kind = 'compose' as const;
  readonly #env: Env;
  readonly #file: string;
  readonly #config: GamelanKafkaConfig;
  readonly #readyTimeoutMs: number;

  constructor(options: ComposeProviderOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#file = options.file ?? COMPOSE_FILE;
    this.#config = options.config ?? DEFAULT_CONFIG;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  }

  async unavailableReason(): Promise<string | undefined> {
    const docker = await dockerEngineAnswers(this.#env);
    if (!docker.answering) return docker.detail;
    if (!existsSync(this.#file)) return `compose file ${this.#file} not found`;
    if (!(await composeExecutable(this.#env)))
      return `${docker.detail} answers, but neither \`docker compose\` nor \`docker-compose\` is installed`;
    const choice = await chooseKafkaImage(undefined, this.#env);
    return choice.image ? undefined : `${docker.detail} answers, but ${choice.reason}`;
  }

  async start(options: BrokerStartOptions = {}): Promise<StartedComposeBroker> {
    const env = this.#env;
    const file = this.#file;
    const config = this.#config;
    const readyTimeoutMs = this.#readyTimeoutMs;
    const brokers = options.brokers ?? DEFAULT_BROKERS;
    if (brokers !== 1 && brokers !== 3) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `--kafka compose runs 1 broker or 3 (--profile cluster), got ${String(brokers)}; use --kafka container for other counts.`,
        { key: 'brokers', value: brokers },
      );
    }
    const layout = COMPOSE_SERVICES[brokers];
    const plans = planTopics(config, brokers, 'compose').topics;
    const project = `gamelan-kafka-${randomBytes(4).toString('hex')}`;
    const network = `${project}_default`;
    return startFromTemplate({
      kind: 'compose',
      name: `compose project ${project}`,
      stopMessage: `docker compose -p ${project} down -v`,
      options,
      env,
      readyTimeoutMs,
      launch: async ({ endpoints, progress, own }) => {
        const why = await this.unavailableReason();
        if (why) throw new BrokerError('PROVIDER_UNAVAILABLE', `--kafka compose: ${why}.`);
        const executable = (await composeExecutable(env))!;
        const image = (await chooseKafkaImage(options.image, env)).image;
        if (!image)
          throw new BrokerError('PROVIDER_UNAVAILABLE', `--kafka compose: image ${options.image ?? ''} not present.`);

        const ports = Object.fromEntries(layout.portVars.map((name, i) => [name, endpoints[i]!.port]));
        const opts: compose.IDockerComposeOptions = {
          cwd: dirname(file),
          config: file,
          executable,
          composeOptions: ['-p', project, ...layout.profiles.flatMap((p) => ['--profile', p])],
          env: { ...env, ...composeEnvironment(config, plans, ports, image, newClusterId()) },
        };

        const reaper = startHarnessReaper(env);
        own({ stop: () => reaper.release() });
        reaper.track('network', network);
        let known: string[] = [];
        own({
          stop: () =>
            compose.downAll({ ...opts, commandOptions: ['-v', '--remove-orphans', '-t', '0'] }).then(
              () => {},
              async () => removeSync(await projectContainers(project, env), [network], env),
            ),
          killSync: () => removeSync(known, [network], env),
        });

        progress(
          'start-broker',
          'start',
          `docker compose -p ${project} up ${[...layout.brokers, layout.topics].join(' ')} (${image})`,
        );
        await compose.upMany([...layout.brokers, layout.topics], opts).catch((error: unknown) => {
          throw new BrokerError(
            'BROKER_START_FAILED',
            `docker compose up failed: ${composeMessage(error)}`,
            {},
            { cause: error },
          );
        });
        known = await projectContainers(project, env);
        for (const id of known) reaper.track('container', id);

        return {
          logFiles: [],
          hint: `docker compose -p ${project} logs`,
          readyMessage: `Kafka ready at ${endpoints.map((e) => `${LOOPBACK}:${e.port}`).join(',')} with ${plans.length} topics`,
          async ready(broker, { startedAt, launchedAt, readyAt }) {
            // The one-shot service's exit code says whether every topic was created.
            const [topicsId] = await projectContainers(project, env, layout.topics);
            if (!topicsId)
              throw new BrokerError('BROKER_START_FAILED', `compose service ${layout.topics} was not created`);
            const waited = await execa('docker', ['wait', topicsId], {
              reject: false,
              timeout: readyTimeoutMs,
              stdin: 'ignore',
              env: { ...env },
              extendEnv: false,
            });
            if (waited.stdout.trim() !== '0') {
              const logs = await execa('docker', ['logs', '--tail', '30', topicsId], {
                reject: false,
                all: true,
                env: { ...env },
                extendEnv: false,
              });
              throw new BrokerError(
                'BROKER_START_FAILED',
                `compose service ${layout.topics} exited with ${waited.stdout.trim() || 'no answer'}:\n${logs.all ?? ''}`,
              );
            }
            const missing = await topicsWithoutLeaders(await broker.admin(), plans);
            if (missing.length > 0)
              throw new BrokerError(
                'BROKER_NOT_READY',
                `topics without leaders after ${layout.topics}: ${missing.join(', ')}`,
              );
            const topicsAt = performance.now();
            return {
              project,
              file,
              image,
              topics: plans,
              timings: {
                upMs: launchedAt - startedAt,
                readyMs: readyAt - launchedAt,
                topicsMs: topicsAt - readyAt,
                totalMs: topicsAt - startedAt,
              },
            };
          },
        };
      },
    });
  }
}

/** The planned topics that are missing, have another partition count, or a partition without a leader. */
async function topicsWithoutLeaders(admin: Admin, plans: readonly TopicPlan[]): Promise<string[]> {
  const { topics } = await admin.fetchTopicMetadata({ topics: plans.map((p) => p.name) });
  return plans
    .filter((p) => {
      const topic = topics.find((t) => t.name === p.name);
      return !topic || topic.partitions.length !== p.partitions || !topic.partitions.every((x) => x.leader >= 0);
    })
    .map((p) => p.name);
}

/** `down -v` for a project started earlier (the CLI's `down` after `up --kafka compose`). */
export async function composeDown(
  project: string,
  { env = process.env, file = COMPOSE_FILE }: { env?: Env; file?: string } = {},
): Promise<void> {
  const executable = await composeExecutable(env);
  if (!executable) {
    removeSync(await projectContainers(project, env), [`${project}_default`], env);
    return;
  }
  await compose.downAll({
    cwd: dirname(file),
    config: file,
    executable,
    composeOptions: ['-p', project, '--profile', 'cluster'],
    commandOptions: ['-v', '--remove-orphans', '-t', '0'],
    env: { ...env },
  });
}

async function projectContainers(project: string, env: Env, service?: string): Promise<string[]> {
  const filters = [
    '--filter',
    `label=com.docker.compose.project=${project}`,
    ...(service ? ['--filter', `label=com.docker.compose.service=${service}`] : []),
  ];
  const r = await execa('docker', ['ps', '-aq', ...filters], {
    reject: false,
    timeout: 10_000,
    stdin: 'ignore',
    env: { ...env },
    extendEnv: false,
  });
  return r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

function composeMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'err' in error)
    return String((error as { err: unknown }).err)
      .trim()
      .split('\n')
      .slice(-5)
      .join('\n');
  return error instanceof Error ? error.message : String(error);
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ClientKind, ClientLogLevel, GroupProtocol, KafkaClient } from '../clients/client-api.js';
import { chooseClient, faultLanesOf } from '../clients/client-choice.js';
import { chooseGroupProtocol } from '../clients/group-protocol-choice.js';
import type { StartedBroker } from '../brokers/types.js';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';
import { type TopicRole } from '../vocabulary.js';
import { FakeEngine, type FakeEngineOptions } from '../engine/engine.js';
import { type ChildExecutor, type ChildExecutorOptions, startChildExecutor } from '../executors/child-executor.js';
import { FakeExecutor, type FakeExecutorOptions } from '../executors/executor.js';
import { ConfigError } from '../errors.js';
import type { NetworkFaults } from '../faults/network.js';
import { advertisedLaneKafka, advertisedServers, laneKafka } from './lanes.js';
import { DIALECT_NAMES, type DialectName } from '../vocabulary.js';
import { FlowRecorder, type FlowRecorderOptions } from '../recorder/recorder.js';
import { planTopics, type ProvisionReport, provisionTopics } from '../topics/index.js';
import type { MockServices } from '../../mocks/index.js';
import { type WorkspaceOverrides, workspaceConfig, workspacePrefix } from './config.js';

// An isolated run on a shared broker: its own topic prefix, configuration, topics and clients, the
// starters of everything that plays on them, and one cleanup. Scenarios, contract runs and test files
// each open one; the broker belongs to the caller and outlives the workspace.

/** The wire dialects a workspace speaks: the protocol README (`spec`) and the Gamelan Java code (`upstream`). */
export const WORKSPACE_DIALECTS = DIALECT_NAMES;
export type WorkspaceDialect = DialectName;

export interface OpenWorkspaceOptions {
  /** What runs in it (a scenario name, `c-<executor type>`…): the prefix starts with it and clients are named after it. */
  readonly name: string;
  /**
   * The wire dialect everything started here writes and reads (engine, executors, child executors) and the
   * recorder decodes; default `spec`.
   */
  readonly dialect?: WorkspaceDialect;
  /**
   * The group protocol the engine and executors started here join with: `classic`, or `consumer` (KIP-848, Kafka 4;
   * needs the `platformatic` client). Default GAMELAN_KAFKA_GROUP_PROTOCOL (`--group-protocol`), else classic.
   */
  readonly groupProtocol?: GroupProtocol;
  /** Merged over the base configuration (partitions, dlq retries and backoff, the executors' group). */
  readonly overrides?: WorkspaceOverrides;
  /** Client id of the workspace's clients (default `gamelan-workspace-<name>`). */
  readonly clientId?: string;
  /** How much its clients log (default `error`, to stderr). */
  readonly clientLogLevel?: ClientLogLevel;
  /**
   * Network faults to route the clients it starts through: each gets its own lane (the engine `engine`,
   * executors `executor-1`, `executor-2`… in start order, or the `lane` given), so a fault can target one.
   * A client library without a socket hook (`platformatic`: clients/client-choice.ts faultLanesOf) cannot have a
   * lane of its own: its clients bootstrap from the broker's `proxiedBootstrapServers` and share the advertised
   * lane, so `network` must then be the advertised proxies' (`advertisedProxies().network()`).
   * The recorder and the admin stay direct: they observe, they are not under test.
   */
  readonly network?: NetworkFaults;
  /**
   * On a cluster the caller did not start (external, `up`'s): when the workspace stops, after its clients, delete
   * the topics it created and the consumer groups under its prefix, and tell `onRemoved`. Left out: they stay
   * (a broker the caller started goes with them).
   */
  readonly removeWhenStopped?: RemoveWhenStopped;
}

/** What a workspace removed from the cluster when it stopped (see OpenWorkspaceOptions.removeWhenStopped). */
export interface RemovedResources {
  readonly prefix: string;
  readonly topics: readonly string[];
  readonly groups: readonly string[];
  /** What could not be removed, and why (the cluster refused or did not answer). */
  readonly problems: readonly string[];
}

export interface RemoveWhenStopped {
  readonly onRemoved?: (removed: RemovedResources) => void;
}

/** Which fault lane a client started from a workspace with network faults goes through. */
export interface LaneOption {
  /** Lane name (1–64 of A-Z a-z 0-9 . _ -); needs the workspace's `network`. */
  readonly lane?: string;
}

/** Anything the workspace stops with itself. */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface Workspace extends AsyncDisposable {
  readonly name: string;
  readonly dialect: WorkspaceDialect;
  /** The Kafka client library its clients run on: the broker's, else GAMELAN_KAFKA_CLIENT (`--client`), else kafkajs. */
  readonly client: ClientKind;
  /** The group protocol of the engine and executors it starts (a starter's own `groupProtocol` wins). */
  readonly groupProtocol: GroupProtocol;
  /** Unique per workspace: every topic and group id starts with it. */
  readonly prefix: string;
  /** The caller's broker: not stopped by the workspace. */
  readonly broker: StartedBroker;
  readonly bootstrapServers: readonly string[];
  /** The base configuration with the workspace's own topic names and group id. */
  readonly config: GamelanKafkaConfig;
  readonly topics: Readonly<Record<TopicRole, string>>;
  /** What provisioning the five topics created or found. */
  readonly provisioned: ProvisionReport;
  readonly kafka: KafkaClient;
  /** The broker's shared admin client. */
  readonly admin: Admin;
  /** A group id of this workspace: `<prefix>.<name>`. */
  groupId(name: string): string;
  /** The fake engine (group `<prefix>.gamelan-engine` unless given). */
  startEngine(options?: Partial<Omit<FakeEngineOptions, 'kafka' | 'config'>> & LaneOption): Promise<FakeEngine>;
  /** An in-process fake executor (group: the workspace's executors' group unless given). */
  startExecutor(options: Omit<FakeExecutorOptions, 'kafka' | 'config'> & LaneOption): Promise<FakeExecutor>;
  /** A fake executor in its own process, for real crashes (`crash()` is kill -9). */
  startExecutorProcess(
    options: Omit<ChildExecutorOptions, 'bootstrapServers' | 'config' | 'routes'> & LaneOption,
  ): Promise<ChildExecutor>;
  /** A recorder of the five topics (decoded as the harness reads them unless `decode` is given). */
  startRecorder(options?: Partial<Omit<FlowRecorderOptions, 'kafka' | 'config'>>): Promise<FlowRecorder>;
  /** The msw mocks of the HTTP services executors call (msw loads here, not with the workspace). */
  startMocks(): Promise<MockServices>;
  /** Stop `resource` with the workspace; returns it. After stop() it is stopped at once. */
  own<T extends Stoppable>(resource: T): T;
  /** Stop everything started here, together (idempotent). The broker stays up. */
  stop(): Promise<void>;
}

/**
 * Open an isolated run on `broker` (which the caller owns and stops): a unique prefix, the configuration
 * derived from `config` with its own topics and groups, the five topics provisioned, clients and starters.
 * `await using workspace = await openWorkspace(broker, config, { name: 'my-test' })`.
 */
export async function openWorkspace(
  broker: StartedBroker,
  config: GamelanKafkaConfig,
  options: OpenWorkspaceOptions,
): Promise<Workspace> {
  const dialect = options.dialect ?? 'spec';
  if (!(WORKSPACE_DIALECTS as readonly string[]).includes(dialect)) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `openWorkspace: dialect = ${JSON.stringify(dialect)} is not allowed: use one of ${WORKSPACE_DIALECTS.join(', ')}.`,
      { key: 'dialect', value: dialect },
    );
  }
  const groupProtocol = chooseGroupProtocol(options.groupProtocol);
  const prefix = workspacePrefix(options.name);
  const own = workspaceConfig(config, prefix, options.overrides);
  const admin = await broker.admin();
  const provisioned = await provisionTopics(admin, planTopics(own, broker.brokerCount).topics);
  const clientId = options.clientId ?? `gamelan-workspace-${options.name}`;
  const kafka = broker.kafka(clientId, options.clientLogLevel);
  const client = broker.client ?? chooseClient(undefined);
  const advertised =
    options.network && faultLanesOf(client) === 'advertised' ? advertisedServers(broker, client) : undefined;
  // With network faults, each client started here gets its own lane of proxies (or, advertised, the one they share).
  let executors = 0;
  const lane = async (given: string | undefined, fallback: () => string): Promise<string | undefined> => {
    if (!options.network) {
      if (given === undefined) return undefined;
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `lane = ${JSON.stringify(given)} needs network faults: open the workspace with \`network\` (a scenario declares needs: { faults: true }).`,
        {
          key: 'lane',
          value: given,
        },
      );
    }
    const name = given ?? fallback();
    if (!advertised) await options.network.addClient(name);
    return name;
  };
  const clientOf = async (given: string | undefined, fallback: () => string): Promise<KafkaClient> => {
    const name = await lane(given, fallback);
    if (name === undefined) return kafka;
    if (advertised)
      return advertisedLaneKafka(broker, client, `${clientId}-${name}`, advertised, options.clientLogLevel);
    return laneKafka(broker, `${clientId}-${name}`, options.network!.socketFactory(name), options.clientLogLevel);
  };

  const owned: Stoppable[] = [];
  let stopping: Promise<void> | undefined;
  const adopt = <T extends Stoppable>(resource: T): T => {
    if (stopping)
      void resource.stop().catch(() => undefined); // started after the end (a timed-out scenario still running)
    else owned.push(resource);
    return resource;
  };
  // Independent clients: stop them together (each disconnect waits for its in-flight fetch); then, on a cluster the
  // caller does not own, what this workspace made there (its groups can only go once their members have).
  const stop = (): Promise<void> => {
    stopping ??= Promise.allSettled(owned.map((r) => r.stop())).then(async () => {
      if (options.removeWhenStopped)
        options.removeWhenStopped.onRemoved?.(
          await removeCreated(admin, prefix, provisioned.created, own.consumer.sessionTimeoutMs),
        );
    });
    return stopping;
  };

  return {
    name: options.name,
    dialect,
    client,
    groupProtocol,
    prefix,
    broker,
    bootstrapServers: broker.bootstrapServers,
    config: own,
    topics: topicNames(own),
    provisioned,
    kafka,
    admin,
    groupId: (name) => `${prefix}.${name}`,
    startEngine: async ({ lane: given, ...engineOptions } = {}) =>
      adopt(
        await FakeEngine.start({
          kafka: await clientOf(given, () => 'engine'),
          config: own,
          groupId: `${prefix}.gamelan-engine`,
          dialect,
          groupProtocol,
          ...engineOptions,
        }),
      ),
    startExecutor: async ({ lane: given, ...executorOptions }) =>
      adopt(
        await FakeExecutor.start({
          kafka: await clientOf(given, () => `executor-${++executors}`),
          config: own,
          dialect,
          groupProtocol,
          ...executorOptions,
        }),
      ),
    startExecutorProcess: async ({ lane: given, ...childOptions }) => {
      const name = await lane(given, () => `executor-${++executors}`);
      const routes = name === undefined || advertised ? {} : { routes: options.network!.routes(name) };
      return adopt(
        await startChildExecutor({
          bootstrapServers: advertised ?? broker.bootstrapServers,
          config: own,
          dialect,
          groupProtocol,
          security: broker.security,
          client,
          ...routes,
          ...childOptions,
        }),
      );
    },
    startRecorder: async (recorderOptions = {}) =>
      adopt(await FlowRecorder.start({ kafka, config: own, dialect, ...recorderOptions })),
    startMocks: async () => adopt((await import('../../mocks/index.js')).startMockServices()),
    own: adopt,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** How long removal waits for Kafka to settle: a member still leaving its group, a deletion still propagating. */
const REMOVE_SETTLE_MS = 10_000;
const REMOVE_RETRY_MS = 250;

/**
 * Delete the topics a workspace created and the groups under its prefix; never throws (problems are reported).
 * A group whose last member is still leaving is refused (NON_EMPTY_GROUP), so deleting is retried until it settles:
 * up to the configured session timeout, after which the broker drops a member that died without leaving (a child
 * executor killed on a busy machine); and a deleted topic stays in the brokers' metadata for a moment, so removal
 * waits until it is gone from it.
 */
async function removeCreated(
  admin: Admin,
  prefix: string,
  createdTopics: readonly string[],
  sessionTimeoutMs: number,
): Promise<RemovedResources> {
  const problems: string[] = [];
  const groupsDeadline = Date.now() + Math.max(REMOVE_SETTLE_MS, sessionTimeoutMs + REMOVE_SETTLE_MS / 2);
  let groups: string[] = [];
  const remainingGroups = async () =>
    (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(`${prefix}.`));
  try {
    groups = await remainingGroups();
    for (let left = groups; left.length > 0; left = await remainingGroups()) {
      try {
        await admin.deleteGroups(left);
        break;
      } catch (error) {
        if (Date.now() >= groupsDeadline) throw error;
        await sleep(REMOVE_RETRY_MS);
      }
    }
  } catch (error) {
    problems.push(`groups ${groups.join(', ') || `under ${prefix}.`}: ${(error as Error).message}`);
    groups = [];
  }
  const topics = [...createdTopics];
  const deadline = Date.now() + REMOVE_SETTLE_MS;
  try {
    if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch (error) {
    problems.push(`topics ${topics.join(', ')}: ${(error as Error).message}`);
    return { prefix, topics: [], groups, problems };
  }
  while (topics.length > 0 && Date.now() < deadline) {
    const listed = new Set(await admin.listTopics().catch(() => []));
    if (!topics.some((t) => listed.has(t))) break;
    await sleep(REMOVE_RETRY_MS);
  }
  return { prefix, topics, groups, problems };
}

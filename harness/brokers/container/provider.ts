import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { GenericContainer, Network, type StartedTestContainer, type WaitStrategy } from 'testcontainers';
import { DEFAULT_BROKERS } from '../../config/broker-count.js';
import { BrokerError, ConfigError } from '../../errors.js';
import { newLogRunDir } from '../../kafka-distribution/index.js';
import {
  chooseKafkaImage,
  configureRyuk,
  dockerEngineAnswers,
  HARNESS_LABEL,
  removeSync,
  START_LABEL,
  startHarnessReaper,
} from '../docker.js';
import {
  BROKER_JVM_ARGS,
  type BrokerSecurity,
  LOOPBACK,
  newClusterId,
  prepareBrokerSecurity,
  renderProperties,
  scramFormatArgument,
} from '../kraft/index.js';
import { DEFAULT_READY_TIMEOUT_MS } from '../readiness.js';
import { startFromTemplate } from '../start-template.js';
import type { BrokerProvider, BrokerStartOptions, Env, NodeFaultDriver, StartedBroker } from '../types.js';
import { type DockerNode, dockerNodeFaults } from './node-faults.js';
import {
  CONTAINER_CLIENT_PORT,
  CONTAINER_KEYSTORE_FILE,
  CONTAINER_LOG4J_FILE,
  CONTAINER_LOG_DIR,
  CONTAINER_PROXIED_PORT,
  CONTAINER_PROPERTIES_FILE,
  CONTAINER_SCRAM_FILE,
  containerLog4jProperties,
  containerServerProperties,
  nodeAlias,
  type ContainerNode,
} from './properties.js';

// Kafka in containers through testcontainers: one container per KRaft node (combined
// broker+controller) on a user-defined network of its own, with the native provider's
// server.properties (only the listener keys differ, see container-properties.ts), client ports
// published on 127.0.0.1 only, and readiness by condition (every broker visible, a controller).
//
// Cleanup, on every exit path:
//   - stop() / `await using`: containers, then the network, are removed; the reaper is released
//     (the start template undoes what the launch made, newest first).
//   - SIGINT/SIGTERM/uncaught errors/normal exit: the lifecycle registry calls stop(), and on
//     'exit' a synchronous `docker rm -f` (removeSync).
//   - kill -9 or any death without handlers: our host-side reaper (docker.ts) sees its pipe close
//     and removes what it was told about. Ryuk (testcontainers' reaper container) does the same
//     from inside Docker where its image is present; where it is not (no registry), the provider
//     sets TESTCONTAINERS_RYUK_DISABLED=true rather than fail, and our reaper is what remains.
//     Both can run at once: removing a container twice is harmless.

export interface ContainerProviderOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
}

export interface StartedContainerBroker extends StartedBroker {
  readonly kind: 'container';
  readonly image: string;
  readonly clusterId: string;
  /** Value of the gamelan.harness.start label on every container of this start. */
  readonly startId: string;
  readonly containerIds: readonly string[];
  readonly networkName: string;
  /** Whether testcontainers' Ryuk reaper watches these containers too. */
  readonly ryuk: boolean;
  readonly timings: { readonly createMs: number; readonly readyMs: number; readonly totalMs: number };
  /** Test hook for failover: kill -9 one node's container (docker kill -s KILL; it stays stopped until restartNode). */
  killNode(nodeId: number): Promise<void>;
  /** Stop one node's container (at once if it was killed) and start it again: same filesystem (log dir), node id and host port. */
  restartNode(nodeId: number): Promise<void>;
  /** Broker faults through the Docker API: kill -9, pause/unpause, restart (BrokerFaults uses it). */
  readonly nodeFaults: NodeFaultDriver;
  /** Each node's container: what another process needs to drive the same faults (dockerNodeFaults(containerNodes)). */
  readonly containerNodes: readonly DockerNode[];
}

/** Publishes every exposed port on 127.0.0.1 only (testcontainers binds all interfaces by default). */
class LoopbackContainer extends GenericContainer {
  constructor(
    image: string,
    private readonly onCreated: (id: string) => void,
  ) {
    super(image);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    const bindings = this.hostConfig.PortBindings as
      Record<string, { HostIp?: string; HostPort?: string }[]> | undefined;
    for (const list of Object.values(bindings ?? {})) for (const binding of list) binding.HostIp = LOOPBACK;
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.onCreated(containerId);
  }
}

/** Readiness is checked for the whole cluster after every container runs (waitForCluster), not per container. */
class StartedOnly implements WaitStrategy {
  #timeout = 60_000;
  async waitUntilReady(): Promise<void> {}
  withStartupTimeout(ms: number): this {
    this.#timeout = ms;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return true;
  }
  getStartupTimeout(): number {
    return this.#timeout;
  }
}

export class ContainerBrokerProvider implements BrokerProvider {
  readonly kind = 'container' as const;
  readonly #env: NodeJS.ProcessEnv;
  readonly #readyTimeoutMs: number;

  constructor(options: ContainerProviderOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  }

  async unavailableReason(image?: string): Promise<string | undefined> {
    const docker = await dockerEngineAnswers(this.#env);
    if (!docker.answering) return docker.detail;
    const choice = await chooseKafkaImage(image, this.#env);
    return choice.image ? undefined : `${docker.detail} answers, but ${choice.reason}`;
  }

  async start(options: BrokerStartOptions = {}): Promise<StartedContainerBroker> {
    const env = this.#env;
    if (options.dataDir !== undefined) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `--data-dir is not supported by --kafka container (its log lives in the container); use --kafka native for replay on a data dir.`,
        {
          key: 'dataDir',
          value: options.dataDir,
        },
      );
    }
    const startId = randomUUID();
    let image = '';
    return startFromTemplate({
      kind: 'container',
      name: `Kafka container(s) ${startId}`,
      stopMessage: `Removing ${String(options.brokers ?? DEFAULT_BROKERS)} Kafka container(s)`,
      options,
      env,
      readyTimeoutMs: this.#readyTimeoutMs,
      wrapError: (error) =>
        new BrokerError(
          'BROKER_START_FAILED',
          `--kafka container: starting ${image} failed: ${error instanceof Error ? error.message : String(error)}`,
          {},
          { cause: error },
        ),
      async launch({ brokers, endpoints, progress, own }) {
        const docker = await dockerEngineAnswers(env);
        if (!docker.answering)
          throw new BrokerError(
            'PROVIDER_UNAVAILABLE',
            `--kafka container: ${docker.detail}. Start a Docker engine, or use --kafka native.`,
          );
        const choice = await chooseKafkaImage(options.image, env);
        if (!choice.image) throw new BrokerError('PROVIDER_UNAVAILABLE', `--kafka container: ${choice.reason}.`);
        image = choice.image;
        const ryuk = await configureRyuk(env);

        const clusterId = newClusterId();
        const nodes: ContainerNode[] = endpoints.map((e) => ({
          nodeId: e.nodeId,
          hostPort: e.port,
          alias: nodeAlias(e.nodeId),
          ...(e.proxied && { proxied: e.proxied }),
        }));
        const logRun = newLogRunDir(env);
        const logFiles = nodes.map((n) => join(logRun, `container-broker-${n.nodeId}.log`));

        const reaper = startHarnessReaper(env);
        own({ stop: () => reaper.release() });
        const streams: WriteStream[] = [];
        own({ stop: () => streams.forEach((s) => s.end()) });

        progress('start-broker', 'start', `Starting ${brokers} Kafka container(s) from ${image}`);
        const network = await new Network().start();
        own({
          stop: () =>
            network.stop().then(
              () => {},
              () => removeSync([], [network.getId()], env),
            ),
          killSync: () => removeSync([], [network.getId()], env),
        });
        reaper.track('network', network.getId());

        const createdIds: string[] = [];
        const started: StartedTestContainer[] = [];
        own({
          async stop() {
            await Promise.all(
              started.map((c) => c.stop({ timeout: 0, remove: true, removeVolumes: true }).catch(() => {})),
            );
            // Containers created but not started (a failed start) are not in `started`.
            removeSync(createdIds, [], env);
          },
          killSync: () => removeSync(createdIds, [], env),
        });
        // Secure modes: certificates and credentials made on the host for this start, copied into each container.
        let security: BrokerSecurity | undefined;
        if (options.security && options.security.mode !== 'plaintext') {
          const dir = mkdtempSync(join(tmpdir(), 'gamelan-kafka-security-'));
          own({
            stop: () => rmSync(dir, { recursive: true, force: true }),
            killSync: () => rmSync(dir, { recursive: true, force: true }),
          });
          security = await prepareBrokerSecurity(options.security, dir, env);
        }
        const secureFiles = [
          ...(security?.tls
            ? [{ content: readFileSync(security.tls.keystore.location), target: CONTAINER_KEYSTORE_FILE, mode: 0o644 }]
            : []),
          ...(security?.sasl
            ? [{ content: scramFormatArgument(security.sasl), target: CONTAINER_SCRAM_FILE, mode: 0o644 }]
            : []),
        ];
        const [heap, ...jvmRest] = [
          BROKER_JVM_ARGS.filter((a) => a.startsWith('-Xm')).join(' '),
          ...BROKER_JVM_ARGS.filter((a) => !a.startsWith('-Xm')),
        ];
        // Format only a log dir that is not formatted yet: a restarted container (broker faults) runs this
        // command again on its kept filesystem, and must start on its log instead of failing the format.
        const command = [
          `{ [ -f ${CONTAINER_LOG_DIR}/meta.properties ] || /opt/kafka/bin/kafka-storage.sh format --cluster-id=${clusterId} --config ${CONTAINER_PROPERTIES_FILE}${security?.sasl ? ` --add-scram "$(cat ${CONTAINER_SCRAM_FILE})"` : ''}; }`,
          `exec /opt/kafka/bin/kafka-server-start.sh ${CONTAINER_PROPERTIES_FILE}`,
        ].join(' && ');
        // allSettled, not all: one container failing (e.g. its pinned port taken meanwhile) must not start the
        // cleanup while the others are still being created, or those would be created after it and left behind.
        const settled = await Promise.allSettled(
          nodes.map((node, i) => {
            const log = createWriteStream(logFiles[i]!, { flags: 'a' });
            streams.push(log);
            return new LoopbackContainer(image, (id) => {
              createdIds.push(id);
              reaper.track('container', id);
            })
              .withName(`gamelan-kafka-${startId.slice(0, 8)}-${node.nodeId}`)
              .withNetwork(network)
              .withNetworkAliases(node.alias)
              .withExposedPorts(
                { container: CONTAINER_CLIENT_PORT, host: node.hostPort },
                ...(node.proxied ? [{ container: CONTAINER_PROXIED_PORT, host: node.proxied.port }] : []),
              )
              .withLabels({
                [HARNESS_LABEL]: 'true',
                [START_LABEL]: startId,
                'gamelan.harness.node': String(node.nodeId),
              })
              .withEnvironment({
                KAFKA_HEAP_OPTS: heap ?? '',
                KAFKA_JVM_PERFORMANCE_OPTS: jvmRest.join(' '),
                KAFKA_LOG4J_OPTS: `-Dlog4j2.configurationFile=${CONTAINER_LOG4J_FILE}`,
              })
              .withCopyContentToContainer([
                {
                  content: renderProperties(containerServerProperties(node, nodes, security)),
                  target: CONTAINER_PROPERTIES_FILE,
                  mode: 0o644,
                },
                { content: containerLog4jProperties(), target: CONTAINER_LOG4J_FILE, mode: 0o644 },
                ...secureFiles,
              ])
              .withEntrypoint(['/bin/sh', '-c'])
              .withCommand([command])
              .withLogConsumer((stream: Readable) => stream.pipe(log, { end: false }))
              .withWaitStrategy(new StartedOnly())
              .start()
              .then((container) => {
                started.push(container);
                return container;
              });
          }),
        );
        const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failure) throw failure.reason;
        const containers = settled.map((r) => (r as PromiseFulfilledResult<StartedTestContainer>).value);

        const clientSecurity = await security?.client();
        const containerNodes: DockerNode[] = nodes.map((n, i) => ({
          nodeId: n.nodeId,
          containerId: containers[i]!.getId(),
          containerName: containers[i]!.getName(),
        }));
        const nodeFaults = dockerNodeFaults(containerNodes, {
          env,
          // After a restart the node's output goes on into the same log file (until stop() closes it).
          onRestarted: (nodeId, output) => {
            const log = streams[nodes.findIndex((n) => n.nodeId === nodeId)]!;
            output.on('data', (chunk: string) => log.writableEnded || log.write(chunk));
          },
        });
        return {
          bootstrapServers: nodes.map((n) => `${LOOPBACK}:${n.hostPort}`),
          ...(clientSecurity && { security: clientSecurity }),
          logFiles,
          hint: `Container log: ${logFiles[0]}`,
          failed: (cancel) => containerExited(containers, logFiles, env, cancel),
          ready: (_broker, { startedAt, launchedAt, readyAt }) => ({
            image,
            clusterId,
            startId,
            containerIds: containers.map((c) => c.getId()),
            networkName: network.getName(),
            ryuk,
            timings: { createMs: launchedAt - startedAt, readyMs: readyAt - launchedAt, totalMs: readyAt - startedAt },
            killNode: (nodeId: number) => nodeFaults.kill(nodeId),
            restartNode: (nodeId: number) => nodeFaults.restart!(nodeId),
            nodeFaults,
            containerNodes,
          }),
        };
      },
    });
  }
}

/** Rejects when a container exits before the cluster is ready (`docker wait` returns), so the start fails fast with its log. */
function containerExited(
  containers: readonly StartedTestContainer[],
  logFiles: readonly string[],
  env: Env,
  signal: AbortSignal,
): Promise<never> {
  const p = Promise.race(
    containers.map((c, i) =>
      execa('docker', ['wait', c.getId()], {
        reject: false,
        cancelSignal: signal,
        stdin: 'ignore',
        env: { ...env },
        extendEnv: false,
      }).then((r): never => {
        if (signal.aborted) throw new Error('cancelled');
        throw new BrokerError(
          'BROKER_START_FAILED',
          `Kafka container ${i + 1} (${c.getName()}) exited during start (exit code ${r.stdout.trim() || '?'}). Log: ${logFiles[i]}`,
          {
            logFile: logFiles[i]!,
          },
        );
      }),
    ),
  );
  p.catch(() => {});
  return p;
}

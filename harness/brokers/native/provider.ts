import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { DEFAULT_BROKERS } from '../../config/broker-count.js';
import { BrokerError, ConfigError } from '../../errors.js';
import {
  findJava,
  kafkaVersion,
  kafkaVersionDir,
  newLogRunDir,
  resolveKafkaJars,
} from '../../kafka-distribution/index.js';
import {
  log4jProperties,
  newClusterId,
  prepareBrokerSecurity,
  renderProperties,
  scramFormatArgument,
  securityServerProperties,
  serverProperties,
  type NodeEndpoints,
} from '../kraft/index.js';
import { DEFAULT_READY_TIMEOUT_MS } from '../readiness.js';
import { startFromTemplate } from '../start-template.js';
import type { BrokerProvider, BrokerStartOptions, Env, NodeFaultDriver, StartedBroker } from '../types.js';
import { cdsJvmArgs, finishCdsDump, planCds } from './cds.js';
import { ensureLauncherJar } from './launcher.js';
import { firstErrors, logTail, spawnKafkaNode, type KafkaNodeProcess } from './node.js';
import { signalNodeFaults } from './node-faults.js';
import { isFormatted, readClusterId, writeFormatArgs } from './storage.js';

// The native provider's launch: Kafka's jars on a local JDK, one JVM per KRaft node (through
// ParentWatchLauncher, so a dead harness takes its brokers with it), storage in a temp dir or a
// --data-dir. Ports, readiness, stop and cleanup registration are the start template's.

/** Written into a --data-dir so a restart with another broker count fails clearly instead of hanging. */
const LAYOUT_FILE = 'gamelan-harness.json';

export interface NativeNodeInfo extends NodeEndpoints {
  readonly pid: number;
  readonly logFile: string;
  readonly propertiesFile: string;
}

/** Milliseconds per start phase, for the benchmark and `up`'s summary. */
export interface NativeStartTimings {
  /** Find java, resolve jars (cache hit: a directory listing), build/find the launcher. */
  readonly resolveMs: number;
  /** Ports, directories, server.properties, log4j config. */
  readonly prepareMs: number;
  /** Always 0 now: each broker JVM formats its own log dir before it starts, within readyMs (kept for the bench's columns). */
  readonly formatMs: number;
  /** Broker JVM spawn until an admin sees every broker and a controller. */
  readonly readyMs: number;
  readonly totalMs: number;
}

export interface StartedNativeBroker extends StartedBroker {
  readonly kind: 'native';
  readonly kafkaVersion: string;
  /** Root holding `node-<n>/{server.properties,data}`: the temp dir, or the given dataDir. */
  readonly dataDir: string;
  /** True when dataDir is a temp dir removed by stop(). */
  readonly temporary: boolean;
  readonly clusterId: string;
  readonly nodes: readonly NativeNodeInfo[];
  readonly timings: NativeStartTimings;
  /** Class-data sharing for this start: archive used, being recorded, or off. */
  readonly cds: 'use' | 'dump' | 'off';
  /** Test hook for failover scenarios: SIGKILL one node's JVM; resolves once it has exited. */
  killNode(nodeId: number): Promise<void>;
  /** Stop one node (gracefully, unless it was killed) and start it again on the same log directory; resolves once spawned. */
  restartNode(nodeId: number): Promise<void>;
  /** Broker faults by signals to the node JVMs (BrokerFaults uses it). */
  readonly nodeFaults: NodeFaultDriver;
}

export interface NativeProviderOptions {
  readonly env?: Env;
  readonly readyTimeoutMs?: number;
  /** Graceful stop budget per JVM before SIGKILL. */
  readonly stopTimeoutMs?: number;
}

export class NativeBrokerProvider implements BrokerProvider {
  readonly kind = 'native' as const;
  readonly #env: Env;
  readonly #readyTimeoutMs: number;
  readonly #stopTimeoutMs: number;

  constructor(options: NativeProviderOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  }

  async unavailableReason(): Promise<string | undefined> {
    try {
      await findJava(this.#env);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  async start(options: BrokerStartOptions = {}): Promise<StartedNativeBroker> {
    const env = this.#env;
    const stopTimeoutMs = this.#stopTimeoutMs;
    const brokers = options.brokers ?? DEFAULT_BROKERS;
    const temporary = options.dataDir === undefined;
    return startFromTemplate({
      kind: 'native',
      name: `native Kafka broker (${String(brokers)} node(s))`,
      stopMessage: `Stopping ${String(brokers)} broker JVM(s)`,
      options,
      env,
      readyTimeoutMs: this.#readyTimeoutMs,
      async launch({ brokers, endpoints, progress, own }) {
        const signal = options.signal;
        const version = kafkaVersion(options.kafkaVersion, env);
        const java = await findJava(env);
        const [jars, launcherJar] = await Promise.all([
          resolveKafkaJars({
            version,
            env,
            ...(options.onProgress && { onProgress: options.onProgress }),
            ...(signal && { signal }),
          }),
          ensureLauncherJar(java, env),
        ]);
        signal?.throwIfAborted();
        const classpath = [...jars.jars, launcherJar].join(delimiter);
        // Record the archive only where a graceful stop is cheap and certain: one temp-dir broker.
        const cds = planCds(kafkaVersionDir(version, env), java, classpath, brokers === 1, env);
        const resolvedAt = performance.now();

        // Storage: a temp dir removed on stop (and by the launcher if the harness dies), or the given data dir.
        const root = temporary ? mkdtempSync(join(tmpdir(), 'gamelan-kafka-')) : resolve(options.dataDir!);
        if (temporary)
          own({
            stop: () => rmSync(root, { recursive: true, force: true }),
            killSync: () => rmSync(root, { recursive: true, force: true }),
          });
        mkdirSync(root, { recursive: true });
        checkLayout(root, brokers, temporary);

        // Secure modes: SASL credentials and TLS material made for this start, in the temp dir (or a temp dir of their own beside a --data-dir).
        let securityDir = join(root, 'security');
        if (options.security && options.security.mode !== 'plaintext' && !temporary) {
          securityDir = mkdtempSync(join(tmpdir(), 'gamelan-kafka-security-'));
          own({
            stop: () => rmSync(securityDir, { recursive: true, force: true }),
            killSync: () => rmSync(securityDir, { recursive: true, force: true }),
          });
        }
        const security = await prepareBrokerSecurity(options.security, securityDir, env);

        // Configuration: server.properties and log4j2 per node.
        const logRun = newLogRunDir(env);
        const layout = endpoints.map((node) => {
          const dir = join(root, `node-${node.nodeId}`);
          return {
            node,
            dir,
            logDir: join(dir, 'data'),
            propertiesFile: join(dir, 'server.properties'),
            logFile: join(logRun, `broker-${node.nodeId}.log`),
            log4jFile: join(logRun, `log4j2-broker-${node.nodeId}.properties`),
          };
        });
        for (const n of layout) {
          mkdirSync(n.dir, { recursive: true });
          const properties = serverProperties({
            node: n.node,
            cluster: endpoints,
            logDir: n.logDir,
            ...(security && { clientProtocol: security.listener }),
          });
          const secure = security
            ? securityServerProperties(security, [security.listener, ...(n.node.proxied ? ['PROXIED'] : [])])
            : {};
          writeFileSync(n.propertiesFile, renderProperties({ ...properties, ...secure }), { mode: 0o600 });
          writeFileSync(n.log4jFile, log4jProperties({ kind: 'file', file: n.logFile }));
        }
        const clusterId = layout.map((n) => readClusterId(n.logDir)).find((id) => id !== undefined) ?? newClusterId();
        const preparedAt = performance.now();

        const nodes: KafkaNodeProcess[] = [];
        own({
          async stop({ failedStart }) {
            if (failedStart) {
              for (const node of nodes) node.killSync();
              await Promise.all(nodes.map((node) => node.exited));
              if (cds.mode === 'dump') finishCdsDump(cds, false);
            } else if (temporary) {
              // The data is discarded anyway: kill, except the JVM recording the CDS archive, which must exit cleanly.
              await Promise.all(
                nodes.map(async (node) => {
                  if (cds.mode === 'dump' && node.nodeId === 1) {
                    const exit = await node.stop('graceful', stopTimeoutMs);
                    finishCdsDump(cds, exit.signal === null && (exit.code === 0 || exit.code === 143));
                  } else {
                    await node.stop('kill');
                  }
                }),
              );
            } else {
              await Promise.all(nodes.map((node) => node.stop('graceful', stopTimeoutMs)));
            }
          },
          killSync: () => {
            for (const node of nodes) node.killSync();
          },
        });

        const unformatted = layout.filter((n) => !isFormatted(n.logDir));
        if (security?.sasl && unformatted.length < layout.length && options.security?.password === undefined) {
          throw new ConfigError(
            'CONFIG_INVALID_VALUE',
            `Data dir ${root} was formatted before, and SASL users are created when a data dir is formatted: pass the password it was formatted with (GAMELAN_KAFKA_SASL_PASSWORD), or use a fresh --data-dir.`,
            { key: 'dataDir', value: root },
          );
        }
        // Each unformatted node's JVM formats its log dir itself before the broker starts (ParentWatchLauncher):
        // one JVM start per node instead of two. The argument files are read once and deleted by the JVM.
        const formatArgsFiles = new Map(
          unformatted.map((n) => [
            n.node.nodeId,
            writeFormatArgs(join(n.dir, 'format-args'), {
              propertiesFile: n.propertiesFile,
              clusterId,
              ...(security?.sasl && { scram: scramFormatArgument(security.sasl) }),
            }),
          ]),
        );
        const removeFormatArgs = () => {
          for (const file of formatArgsFiles.values()) rmSync(file, { force: true });
        };
        own({ stop: removeFormatArgs, killSync: removeFormatArgs });
        const formattedAt = performance.now();

        progress(
          'start-broker',
          'start',
          `Starting ${brokers} Kafka ${version} broker JVM(s)${unformatted.length > 0 ? ` (each formats its KRaft storage in ${root} first, cluster ${clusterId})` : ''}`,
        );
        // A restart (restartNode) runs the same command on the same log dir; only the first start records a CDS archive.
        const spawnNode = (n: (typeof layout)[number], restart: boolean) =>
          spawnKafkaNode({
            nodeId: n.node.nodeId,
            java: java.path,
            jvmArgs:
              cds.mode === 'off' || (cds.mode === 'dump' && (restart || n.node.nodeId !== 1)) ? [] : cdsJvmArgs(cds),
            classpath,
            propertiesFile: n.propertiesFile,
            log4jFile: n.log4jFile,
            logFile: n.logFile,
            ...(temporary && { deleteOnParentExit: root }),
            // Only the first start formats; a restart runs on the formatted log dir.
            ...(!restart &&
              formatArgsFiles.has(n.node.nodeId) && { formatArgsFile: formatArgsFiles.get(n.node.nodeId)! }),
          });
        for (const n of layout) nodes.push(spawnNode(n, false));
        // Kept up to date by restartNode (a new pid), so callers holding `nodes` see the live process.
        const infos: NativeNodeInfo[] = layout.map((n, i) => ({
          ...n.node,
          pid: nodes[i]!.pid,
          logFile: n.logFile,
          propertiesFile: n.propertiesFile,
        }));

        const killNode = async (nodeId: number) => {
          const node = nodes.find((n) => n.nodeId === nodeId);
          if (!node) throw new RangeError(`no node ${nodeId}; nodes are 1..${nodes.length}`);
          await node.stop('kill');
        };
        const restartNode = async (nodeId: number) => {
          const i = nodes.findIndex((n) => n.nodeId === nodeId);
          if (i < 0) throw new RangeError(`no node ${nodeId}; nodes are 1..${nodes.length}`);
          await nodes[i]!.stop('graceful', stopTimeoutMs); // at once when it was killed
          nodes[i] = spawnNode(layout[i]!, true);
          infos[i] = { ...infos[i]!, pid: nodes[i]!.pid };
        };
        const clientSecurity = await security?.client(); // the Java truststore was made while the JVMs started
        return {
          logFiles: layout.map((n) => n.logFile),
          ...(clientSecurity && { security: clientSecurity }),
          hint: `Broker log: ${layout[0]!.logFile}`,
          // Any JVM exiting during start ends the wait at once, with that node's log.
          failed() {
            const failed = Promise.race(
              nodes.map((node) =>
                node.exited.then((exit): never => {
                  throw startFailure(node, `exited during start (${exit.signal ?? `exit code ${String(exit.code)}`})`);
                }),
              ),
            );
            failed.catch(() => {});
            return failed;
          },
          explainNotReady(error) {
            const node = nodes[0]!;
            const tail = logTail(node.logFile);
            return new BrokerError(
              'BROKER_NOT_READY',
              `${error.message}\n--- last lines of ${node.logFile} ---\n${tail}`,
              { logFile: node.logFile, logTail: tail },
              { cause: error },
            );
          },
          ready: (_broker, { startedAt, readyAt }) => ({
            kafkaVersion: version,
            dataDir: root,
            temporary,
            clusterId,
            cds: cds.mode,
            nodes: infos,
            timings: {
              resolveMs: resolvedAt - startedAt,
              prepareMs: preparedAt - resolvedAt,
              formatMs: formattedAt - preparedAt,
              readyMs: readyAt - formattedAt,
              totalMs: performance.now() - startedAt,
            },
            killNode,
            restartNode,
            nodeFaults: signalNodeFaults({
              nodeIds: infos.map((n) => n.nodeId),
              pidOf: (id) => infos.find((n) => n.nodeId === id)!.pid,
              kill: killNode,
              restart: restartNode,
            }),
          }),
        };
      },
    });
  }
}

function startFailure(node: KafkaNodeProcess, what: string): BrokerError {
  const tail = logTail(node.logFile);
  const errors = firstErrors(node.logFile);
  const cause = errors.length > 0 ? `\n--- first errors ---\n${errors.join('\n')}` : '';
  return new BrokerError(
    'BROKER_START_FAILED',
    `Kafka broker node ${node.nodeId} (pid ${node.pid}) ${what}. Log: ${node.logFile}${cause}\n--- last lines ---\n${tail}`,
    { logFile: node.logFile, logTail: tail },
  );
}

/** A data dir remembers its broker count: KRaft voters cannot change by restarting with another count. */
function checkLayout(root: string, brokers: number, temporary: boolean): void {
  if (temporary) return;
  const file = join(root, LAYOUT_FILE);
  if (existsSync(file)) {
    const recorded = (JSON.parse(readFileSync(file, 'utf8')) as { brokers?: number }).brokers;
    if (recorded !== undefined && recorded !== brokers) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `Data dir ${root} holds a ${recorded}-broker cluster; restart it with brokers: ${recorded}, or use another data dir for ${brokers}.`,
        { key: 'brokers', value: brokers },
      );
    }
    return;
  }
  writeFileSync(file, `${JSON.stringify({ brokers }, null, 2)}\n`);
}

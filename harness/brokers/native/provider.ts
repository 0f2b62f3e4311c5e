import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { BrokerError, ConfigError } from '../../errors.js';
import { registerCleanup } from '../../lifecycle/index.js';
import { DEFAULT_READY_TIMEOUT_MS, waitForCluster } from '../readiness.js';
import { createStartedBroker } from '../started.js';
import type { BrokerProvider, BrokerStartOptions, ProgressEvent, StartedBroker } from '../types.js';
import { kafkaVersionDir, newLogRunDir, type Env } from './cache.js';
import { cdsJvmArgs, finishCdsDump, planCds } from './cds.js';
import { findJava } from './java.js';
import { kafkaVersion, resolveKafkaJars } from './jars.js';
import { ensureLauncherJar } from './launcher.js';
import { log4jProperties } from './log4j.js';
import { firstErrors, logTail, spawnKafkaNode, type KafkaNodeProcess } from './node.js';
import { pickPorts } from './ports.js';
import { LOOPBACK, renderProperties, serverProperties, type NodeEndpoints } from './server-properties.js';
import { formatStorage, isFormatted, newClusterId, readClusterId } from './storage.js';

export const MAX_NATIVE_BROKERS = 5;
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
  /** `StorageTool format` JVMs (0 when a reused data dir was already formatted). */
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
    const brokers = options.brokers ?? 1;
    if (!Number.isInteger(brokers) || brokers < 1 || brokers > MAX_NATIVE_BROKERS) {
      throw new ConfigError('CONFIG_INVALID_VALUE', `brokers must be an integer from 1 to ${MAX_NATIVE_BROKERS}, got ${String(brokers)}.`, {
        key: 'brokers',
        value: brokers,
      });
    }
    const progress = (step: ProgressEvent['step'], state: ProgressEvent['state'], message: string) =>
      options.onProgress?.({ step, state, message });
    const signal = options.signal;
    const t0 = performance.now();

    const version = kafkaVersion(options.kafkaVersion, env);
    const java = await findJava(env);
    const [jars, launcherJar] = await Promise.all([
      resolveKafkaJars({ version, env, ...(options.onProgress && { onProgress: options.onProgress }), ...(signal && { signal }) }),
      ensureLauncherJar(java, env),
    ]);
    signal?.throwIfAborted();
    const classpath = [...jars.jars, launcherJar].join(delimiter);
    const temporary = options.dataDir === undefined;
    // Record the archive only where a graceful stop is cheap and certain: one temp-dir broker.
    const cds = planCds(kafkaVersionDir(version, env), java, classpath, brokers === 1, env);
    const tResolved = performance.now();

    const endpoints = await pickPorts(brokers, options.port);
    const root = temporary ? mkdtempSync(join(tmpdir(), 'gamelan-kafka-')) : resolve(options.dataDir!);
    const nodes: KafkaNodeProcess[] = [];
    let unregister = (): void => {};
    const killSync = (): void => {
      for (const node of nodes) node.killSync();
      if (temporary) rmSync(root, { recursive: true, force: true });
    };

    try {
      mkdirSync(root, { recursive: true });
      checkLayout(root, brokers, temporary);
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
        writeFileSync(n.propertiesFile, renderProperties(serverProperties({ node: n.node, cluster: endpoints, logDir: n.logDir })));
        writeFileSync(n.log4jFile, log4jProperties({ kind: 'file', file: n.logFile }));
      }
      const clusterId = layout.map((n) => readClusterId(n.logDir)).find((id) => id !== undefined) ?? newClusterId();
      const tPrepared = performance.now();

      const unformatted = layout.filter((n) => !isFormatted(n.logDir));
      if (unformatted.length > 0) {
        progress('format-storage', 'start', `Formatting KRaft storage in ${root}`);
        const formatArgs = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', ...(cds.mode === 'use' ? cdsJvmArgs(cds) : [])];
        await Promise.all(
          unformatted.map((n) =>
            formatStorage({ java: java.path, jvmArgs: formatArgs, classpath, propertiesFile: n.propertiesFile, clusterId, ...(signal && { signal }) }),
          ),
        );
        progress('format-storage', 'done', `Formatted ${unformatted.length} log dir(s), cluster ${clusterId}`);
      }
      const tFormatted = performance.now();

      progress('start-broker', 'start', `Starting ${brokers} Kafka ${version} broker JVM(s)`);
      for (const n of layout) {
        nodes.push(
          spawnKafkaNode({
            nodeId: n.node.nodeId,
            java: java.path,
            jvmArgs: cds.mode === 'off' || (cds.mode === 'dump' && n.node.nodeId !== 1) ? [] : cdsJvmArgs(cds),
            classpath,
            propertiesFile: n.propertiesFile,
            log4jFile: n.log4jFile,
            logFile: n.logFile,
            ...(temporary && { deleteOnParentExit: root }),
          }),
        );
      }
      unregister = registerCleanup({ name: `native Kafka broker (${brokers} node(s), ${root})`, stop: () => teardown(), killSync });

      // Any JVM exiting during start ends the wait at once, with that node's log.
      const failed = Promise.race(
        nodes.map((node) =>
          node.exited.then((exit): never => {
            throw startFailure(node, `exited during start (${exit.signal ?? `exit code ${String(exit.code)}`})`);
          }),
        ),
      );
      failed.catch(() => {});
      progress('wait-ready', 'start', 'Waiting for the cluster to answer');
      const bootstrapServers = endpoints.map((n) => `${LOOPBACK}:${n.port}`);
      try {
        await waitForCluster({
          bootstrapServers,
          expectedBrokers: brokers,
          timeoutMs: this.#readyTimeoutMs,
          failed,
          ...(signal && { signal }),
          hint: `Broker log: ${layout[0]!.logFile}`,
        });
      } catch (error) {
        if (error instanceof BrokerError && error.code === 'BROKER_NOT_READY') {
          const node = nodes[0]!;
          throw new BrokerError('BROKER_NOT_READY', `${error.message}\n--- last lines of ${node.logFile} ---\n${logTail(node.logFile)}`, {
            logFile: node.logFile,
            logTail: logTail(node.logFile),
          }, { cause: error });
        }
        throw error;
      }
      const tReady = performance.now();
      progress('wait-ready', 'done', `Kafka ready at ${bootstrapServers.join(',')}`);

      let stopped = false;
      const stopTimeoutMs = this.#stopTimeoutMs;
      async function teardown(): Promise<void> {
        if (stopped) return;
        stopped = true;
        progress('stop', 'start', `Stopping ${brokers} broker JVM(s)`);
        if (temporary) {
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
          rmSync(root, { recursive: true, force: true });
        } else {
          await Promise.all(nodes.map((node) => node.stop('graceful', stopTimeoutMs)));
        }
        unregister();
        progress('stop', 'done', 'Stopped');
      }

      const started = createStartedBroker({
        kind: 'native',
        bootstrapServers,
        brokerCount: brokers,
        logFiles: layout.map((n) => n.logFile),
        teardown,
      });
      const tEnd = performance.now();
      return Object.assign(started, {
        kind: 'native' as const,
        kafkaVersion: version,
        dataDir: root,
        temporary,
        clusterId,
        cds: cds.mode,
        nodes: layout.map((n, i) => ({
          ...n.node,
          pid: nodes[i]!.pid,
          logFile: n.logFile,
          propertiesFile: n.propertiesFile,
        })),
        timings: {
          resolveMs: tResolved - t0,
          prepareMs: tPrepared - tResolved,
          formatMs: tFormatted - tPrepared,
          readyMs: tReady - tFormatted,
          totalMs: tEnd - t0,
        },
        async killNode(nodeId: number) {
          const node = nodes.find((n) => n.nodeId === nodeId);
          if (!node) throw new RangeError(`no node ${nodeId}; nodes are 1..${nodes.length}`);
          await node.stop('kill');
        },
      });
    } catch (error) {
      killSync();
      await Promise.all(nodes.map((node) => node.exited));
      if (temporary) rmSync(root, { recursive: true, force: true });
      unregister();
      if (cds.mode === 'dump') finishCdsDump(cds, false);
      progress('start-broker', 'fail', error instanceof Error ? error.message : String(error));
      throw error;
    }
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

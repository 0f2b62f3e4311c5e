import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv } from 'yargs';
import type { StartedBroker } from '../../brokers/types.js';
import type { ApplicationConfig } from '../../config/index.js';
import type { StackOptions } from '../../stack/start-stack.js';
import { BrokerError, ConfigError } from '../../errors.js';
import type { CommandBody } from '../lazy-command.js';
import { announceCluster } from '../cluster-choice.js';
import { type BrokerArgs, withBrokerOptions } from '../options.js';
import { namedCluster } from '../provider-choice.js';
import { PhaseTimer } from '../phases.js';
import { identityOf, UP_TOKEN_ENV } from '../process-identity.js';
import { isRunning, readState, removeState, stateFilePath, type UpState, writeState } from '../state.js';
import { writeClientProperties } from '../client-properties.js';
import { assertPortsFree } from '../validate.js';
import { acquireUpLock, type UpLock } from '../up-lock.js';
import { checkOutputPaths } from '../output-paths.js';
import { type DialectArgs, readConfigOptionsFrom, withDialectOptions } from '../dialect-options.js';
import { deferredReporter } from '../deferred-reporter.js';

interface UpArgs extends BrokerArgs, DialectArgs {
  detach: boolean;
  faultProxy: boolean;
  stateFile?: string | undefined;
  json: boolean;
}

const DETACH_TIMEOUT_MS = 180_000;

export const upCommand: CommandBody<UpArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withBrokerOptions(yargs))
      .option('detach', {
        type: 'boolean',
        default: false,
        describe: 'Leave it running in the background; stop it with `down`',
      })
      .option('fault-proxy', {
        type: 'boolean',
        default: false,
        describe:
          'Native or container brokers: start a fault proxy and have every broker advertise a proxy in front of it; clients of the printed proxied bootstrap servers can then be hit by `gamelan-harness fault …`',
      })
      .check((argv) => {
        if (argv.faultProxy && argv.kafka !== 'native' && argv.kafka !== 'container' && argv.kafka !== 'auto') {
          throw new ConfigError(
            'CONFIG_INVALID_VALUE',
            `--fault-proxy is for brokers the harness starts (--kafka native or container), not --kafka ${String(argv.kafka)}: the brokers must advertise the proxy's ports.`,
            {
              key: '--fault-proxy',
              value: argv.kafka,
            },
          );
        }
        const named = namedCluster(argv as unknown as BrokerArgs);
        if (argv.faultProxy && named) {
          throw new ConfigError(
            'CONFIG_INVALID_VALUE',
            `--fault-proxy is for brokers the harness starts, not the running cluster ${named.source} ${named.servers.join(',')} names: the brokers must advertise the proxy's ports.`,
            {
              key: '--fault-proxy',
              value: named.servers.join(','),
            },
          );
        }
        return true;
      })
      .check((argv) => checkOutputPaths(argv, { 'state-file': 'file' }))
      .option('state-file', {
        type: 'string',
        describe: 'Where to record the running harness (default .gamelan-harness/up.json)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the summary as JSON',
      }) as unknown as Argv<UpArgs>,
  handler: async (argv) => {
    // A detached `up` is started with a token in its environment; it goes into the state file (for `down` to read back
    // from this process) and no further: the broker JVMs and other children must not hold it.
    const token = process.env[UP_TOKEN_ENV];
    delete process.env[UP_TOKEN_ENV];
    // First line: which cluster `up` holds (a named one is used as it is; otherwise a broker it starts).
    const { options } = announceCluster(argv, { useUp: false });
    const stateFile = stateFilePath(argv.stateFile);
    const running = readState(stateFile);
    if (running && isRunning(running)) {
      throw new BrokerError(
        'BROKER_START_FAILED',
        `A harness is already up (pid ${running.pid}, ${running.bootstrapServers.join(',')}, state ${stateFile}). ` +
          'Stop it with `gamelan-harness down`, or pass another --state-file.',
      );
    }
    if (argv.faultProxy) await assertToxiproxyFound();
    // Bad input is answered before the lock is taken: a wrong --config or a taken --port is that, not "another up".
    const { readConfig } = await import('../../config/index.js');
    const config = readConfig(argv.config, readConfigOptionsFrom(argv));
    if (options.kafka !== 'external') await assertPortsFree(argv.port, argv.brokers);
    // One `up` per state file: a second one, started meanwhile, refuses at once instead of booting a second broker.
    // A detached `up` names its child's token in the lock, and the child (holding that token) takes the lock over.
    const childToken = argv.detach ? randomBytes(24).toString('hex') : undefined;
    const lock = acquireUpLock(stateFile, { handoff: childToken, takeover: token });
    if (argv.detach) return detach(stateFile, lock, childToken!);
    try {
      await stayUp(argv, options, stateFile, token, lock, config);
    } catch (error) {
      lock.release();
      throw error;
    }
  },
};

/** Boot, write the state file, and stay up until Ctrl-C / SIGTERM (the lifecycle stops everything, lock last). */
async function stayUp(
  argv: UpArgs,
  options: StackOptions,
  stateFile: string,
  token: string | undefined,
  lock: UpLock,
  loaded: ApplicationConfig,
): Promise<never> {
  const phases = new PhaseTimer();

  const [{ startStack }, { registerCleanup }, { topicNames }] = await Promise.all([
    import('../../stack/start-stack.js'),
    import('../../lifecycle/index.js'),
    import('../../config/index.js'),
  ]);
  registerCleanup({ name: 'up lock', stop: async () => lock.release(), killSync: () => lock.release() });
  phases.mark('node, CLI and modules loaded');
  // What only the output needs (the spinner, the topic table) loads while the broker JVM boots.
  const reporting = import('../progress.js');
  const progress = deferredReporter(reporting, (m) => m.progressReporter());
  const warnings = deferredReporter(reporting, (m) => m.warn);
  const topicTable = import('../../report/topic-table.js');
  topicTable.catch(() => {}); // awaited for the summary; a failed start must not report it unhandled
  // --fault-proxy: Toxiproxy and the proxies the brokers advertise; registered before the stack, so stopped after it.
  const faultProxy = argv.faultProxy ? await startFaultProxy(registerCleanup) : undefined;
  const stack = await startStack({
    ...options,
    config: loaded,
    ...(faultProxy && {
      kafka: argv.kafka === 'container' ? ('container' as const) : ('native' as const),
      faultProxy: faultProxy.proxies.faultProxy,
    }),
    read: readConfigOptionsFrom(argv),
    onProgress: phases.track(progress.report),
    onWarning: warnings.report,
  }).finally(() => Promise.all([progress.flushed, warnings.flushed]));
  phases.mark('topics ready');
  if ((argv as { verbose?: boolean }).verbose) process.stderr.write(phases.render('up: phases'));
  // Stopped newest first on Ctrl-C / SIGTERM / crash: the state file goes, then the stack.
  registerCleanup({ name: 'harness stack', stop: () => stack.stop(), killSync: () => {} });
  registerCleanup({
    name: 'up state file',
    stop: async () => removeState(stateFile, process.pid),
    killSync: () => removeState(stateFile, process.pid),
  });
  const { broker, topics, config } = stack;
  const identity = identityOf(process.pid);
  // Secure brokers: later commands connect with a client.properties (0600) beside the state file; up.json names it.
  const security = await writeClientProperties(stateFile, broker.security);
  const faults = faultProxy && (await faultProxyRecord(faultProxy, broker));
  if (security) {
    registerCleanup({
      name: 'up client properties',
      stop: async () => security.remove(),
      killSync: () => security.remove(),
    });
  }
  writeState(stateFile, {
    pid: process.pid,
    kind: broker.kind,
    bootstrapServers: broker.bootstrapServers,
    brokerCount: broker.brokerCount,
    logFiles: broker.logFiles,
    topics: topicNames(config.gamelan),
    configSource: config.source ?? null,
    startedAt: new Date().toISOString(),
    ...(identity ? { process: identity } : {}),
    ...(token && /^[0-9a-f]{32,128}$/.test(token) ? { token } : {}),
    ...(security ? { security: security.state } : {}),
    ...(faults ? { faults } : {}),
  });
  if (faultProxy && faults) await serveBrokerFaults(stateFile, faultProxy, broker, registerCleanup);
  if (argv.json) {
    const proxied = faults && {
      proxiedBootstrapServers: faults.proxiedBootstrapServers,
      toxiproxyUrl: faults.toxiproxyUrl,
    };
    process.stdout.write(
      `${JSON.stringify({ bootstrapServers: broker.bootstrapServers, kind: broker.kind, topics: topics.topics, ...(security && { security: security.state }), ...proxied })}\n`,
    );
  } else {
    process.stdout.write(
      `\nKafka (${broker.kind}, ${broker.brokerCount} broker${broker.brokerCount > 1 ? 's' : ''}) is up.\n`,
    );
    process.stdout.write(`bootstrap servers: ${broker.bootstrapServers.join(',')}\n`);
    if (security)
      process.stdout.write(
        `security: ${security.state.description}; client properties (mode 0600): ${security.state.commandConfig}\n`,
      );
    if (faults) process.stdout.write(faultProxySummary(faults));
    const { renderTopicTable } = await topicTable;
    process.stdout.write(`${renderTopicTable(topics.topics)}\n`);
    if (broker.logFiles.length) process.stdout.write(`broker logs: ${broker.logFiles.join(', ')}\n`);
    process.stdout.write('Press Ctrl-C to stop.\n');
  }
  // Stay up: the lifecycle handlers stop the broker on Ctrl-C / SIGTERM.
  return new Promise<never>(() => setInterval(() => {}, 1 << 30));
}

/** Re-run `up` without --detach as a detached child, wait until it has written its state, leave. */
async function detach(stateFile: string, lock: UpLock, token: string): Promise<void> {
  // The same arguments without --detach; --state-file is passed once, resolved.
  const args: string[] = [];
  const given = process.argv.slice(2);
  for (let i = 0; i < given.length; i++) {
    const arg = given[i]!;
    if (arg === '--detach' || arg === '--detach=true' || arg.startsWith('--state-file=')) continue;
    if (arg === '--state-file') {
      i++;
      continue;
    }
    args.push(arg);
  }
  const logFile = path.join(path.dirname(stateFile), 'up.log');
  mkdirSync(path.dirname(stateFile), { recursive: true });
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args, '--state-file', stateFile], {
    detached: true,
    stdio: ['ignore', out, out],
    // Its output goes to a log file: no colour, whatever FORCE_COLOR the caller had.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'FORCE_COLOR')),
      NO_COLOR: '1',
      [UP_TOKEN_ENV]: token,
    },
  });
  closeSync(out);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + DETACH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const state = readState(stateFile);
    if (state && state.pid === child.pid) {
      child.unref();
      process.stdout.write(`Kafka is up in the background (pid ${state.pid}).\n`);
      process.stdout.write(`bootstrap servers: ${state.bootstrapServers.join(',')}\n`);
      if (state.security)
        process.stdout.write(
          `security: ${state.security.description}; client properties (mode 0600): ${state.security.commandConfig}\n`,
        );
      if (state.faults) process.stdout.write(faultProxySummary(state.faults));
      process.stdout.write(`log: ${logFile}\nstop it with: gamelan-harness down\n`);
      return;
    }
    if (exited !== undefined) break;
    await sleep(100);
  }
  if (exited === undefined) child.kill('SIGTERM');
  lock.release(); // still ours if the child never took it; a child that took it and died left it stale
  throw new BrokerError(
    'BROKER_START_FAILED',
    `The detached harness did not come up (${exited === undefined ? 'timed out' : `exit code ${exited}`}). Its output (${logFile}):\n` +
      readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'),
  );
}

/** --fault-proxy needs a fault proxy: say so (exit 2, with the fix) before anything starts. */
async function assertToxiproxyFound(): Promise<void> {
  const { chooseFaultProxy } = await import('../../faults/fault-proxy.js');
  // A malformed TOXIPROXY_URL or GAMELAN_FAULT_PROXY throws (bad input); `none` only when the forced kind is missing.
  const found = await chooseFaultProxy();
  if (found.kind === 'none')
    throw new ConfigError('CONFIG_INVALID_VALUE', `--fault-proxy needs a fault proxy: ${found.reason}.`, {
      key: '--fault-proxy',
    });
}

async function startFaultProxy(
  registerCleanup: (entry: { name: string; stop: () => Promise<void>; killSync: () => void }) => () => void,
) {
  const { startToxiproxy, advertisedProxies } = await import('../../faults/index.js');
  const toxiproxy = await startToxiproxy(); // registers its own cleanup
  const proxies = advertisedProxies(toxiproxy);
  registerCleanup({ name: 'fault proxies', stop: () => proxies.stop(), killSync: () => {} });
  return { toxiproxy, proxies };
}

/** What `fault` needs in up.json: the Toxiproxy URL, each broker's proxy name, each node's process. No secrets. */
async function faultProxyRecord(
  faultProxy: Awaited<ReturnType<typeof startFaultProxy>>,
  broker: StartedBroker,
): Promise<NonNullable<UpState['faults']>> {
  const { ADVERTISED_LANE, isFaultableCluster, nodeFaultDriver } = await import('../../faults/index.js');
  const driver = nodeFaultDriver(broker);
  if (!driver || !broker.proxiedBootstrapServers) {
    throw new BrokerError(
      'BROKER_START_FAILED',
      `--fault-proxy needs a native or container cluster advertising the proxies; the ${broker.kind} broker started does not.`,
    );
  }
  const network = faultProxy.proxies.network();
  return {
    toxiproxyUrl: faultProxy.toxiproxy.url,
    proxyKind: faultProxy.toxiproxy.source.kind,
    proxiedBootstrapServers: broker.proxiedBootstrapServers,
    proxies: driver.nodeIds.map((nodeId) => ({
      nodeId,
      name: network.proxyName(ADVERTISED_LANE, nodeId),
      listen: network.proxyAddress(ADVERTISED_LANE, nodeId),
    })),
    // Native nodes are host processes `fault` signals itself once proven; container nodes are asked of `up` (Docker).
    nodes: isFaultableCluster(broker)
      ? broker.nodes.flatMap((n) => {
          const identity = identityOf(n.pid);
          return identity ? [{ nodeId: n.nodeId, process: identity }] : [];
        })
      : [],
    brokerFaults: driver.mechanism,
  };
}

/**
 * Broker faults from `fault` in another process, for what only this process can do: restart a node (it owns its
 * JVM and log directory, or its container), and every fault on container nodes (through its Docker client). Asked
 * through up-control.ts; after a restart the node's new process is recorded for `fault kill|pause` (native).
 */
async function serveBrokerFaults(
  stateFile: string,
  faultProxy: Awaited<ReturnType<typeof startFaultProxy>>,
  broker: StartedBroker,
  registerCleanup: (entry: { name: string; stop: () => Promise<void>; killSync: () => void }) => () => void,
): Promise<void> {
  const [{ serveUpControl }, { BrokerFaults, nodeFaultDriver }] = await Promise.all([
    import('../up-control.js'),
    import('../../faults/index.js'),
  ]);
  const driver = nodeFaultDriver(broker);
  if (!driver) return;
  const brokers = new BrokerFaults({ nodeFaults: driver, admin: () => broker.admin() });
  const paused = new Map<number, { remove(): Promise<void> }>();
  const stopServing = serveUpControl(stateFile, async ({ kind, nodeId }) => {
    if (!brokers.nodeIds().includes(nodeId))
      throw new Error(
        `broker ${nodeId} is not a broker of this cluster; the brokers are ${brokers.nodeIds().join(', ')}.`,
      );
    const where = driver.describe(nodeId);
    switch (kind) {
      case 'kill':
        await brokers.kill(nodeId);
        return `Killed broker ${nodeId} (${where}, kill -9). It stays down until \`gamelan-harness fault restart --broker ${nodeId}\` (or \`down\`).`;
      case 'pause':
        paused.set(nodeId, await brokers.pause(nodeId));
        return `Paused broker ${nodeId} (${where}). Resume it with \`gamelan-harness fault resume --broker ${nodeId}\`.`;
      case 'resume':
        await paused.get(nodeId)?.remove();
        paused.delete(nodeId);
        return `Resumed broker ${nodeId} (${where}).`;
      case 'restart': {
        await brokers.restart(nodeId);
        paused.delete(nodeId);
        const faults = await faultProxyRecord(faultProxy, broker);
        const state = readState(stateFile);
        if (state?.pid === process.pid) writeState(stateFile, { ...state, faults });
        const pid = faults.nodes.find((n) => n.nodeId === nodeId)?.process.pid;
        return `Restarted broker ${nodeId} on its log directory${pid ? ` (now pid ${pid})` : ` (${where})`}; it is back in the cluster.`;
      }
      default:
        throw new Error(`unknown request ${JSON.stringify(kind)}; this harness takes kill, pause, resume and restart.`);
    }
  });
  registerCleanup({ name: 'up control directory', stop: async () => stopServing(), killSync: stopServing });
}

/** The fault proxy in words, from `StartedToxiproxy.source.kind`. */
function faultProxyName(kind: string | undefined): string {
  switch (kind) {
    case 'url':
      return 'Toxiproxy at TOXIPROXY_URL';
    case 'binary':
      return 'toxiproxy-server';
    case 'testcontainers':
      return 'Toxiproxy container';
    case 'builtin':
      return 'built-in proxy';
    default:
      return 'Toxiproxy';
  }
}

function faultProxySummary(faults: NonNullable<UpState['faults']>): string {
  return (
    `proxied bootstrap servers (every connection through the fault proxy): ${faults.proxiedBootstrapServers.join(',')}\n` +
    `fault proxy: ${faultProxyName(faults.proxyKind)}, Toxiproxy API at ${faults.toxiproxyUrl}; inject with e.g. \`gamelan-harness fault latency --ms 200 --for 10s\` (brokers ${faults.proxies.map((p) => p.nodeId).join(', ')})\n`
  );
}

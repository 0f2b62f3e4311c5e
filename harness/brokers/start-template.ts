import { DEFAULT_BROKERS, parseBrokerCount } from '../config/broker-count.js';
import { BrokerError, ConfigError } from '../errors.js';
import { registerCleanup } from '../lifecycle/index.js';
import type { ClientSecurity } from '../config/security.js';
import { checkBrokerSecurityOptions, LOOPBACK, pickPorts, type NodeEndpoints } from './kraft/index.js';
import { DEFAULT_READY_TIMEOUT_MS, waitForCluster } from './readiness.js';
import type { BrokerStartOptions, ConcreteProviderKind, Env, ProgressEvent, StartedBroker } from './types.js';

// The one start routine of every provider that launches brokers (native, container, compose):
//   broker count → ports → [the provider's launch: storage, configuration, processes] → readiness
//   → a StartedBroker whose stop() undoes, once and in reverse order, everything the launch made.
// Cleanup is registered with the lifecycle registry before the launch begins, so a signal, a crash
// or process exit during the start removes what was made so far. A provider only writes its launch.

export type Progress = (step: ProgressEvent['step'], state: ProgressEvent['state'], message: string) => void;

/** Something a launch made, undone by stop() or by a failed start. */
export interface LaunchedResource {
  /** Graceful undo. `failedStart`: the start is being rolled back (fast, and nothing is worth keeping). */
  stop(context: { readonly failedStart: boolean }): Promise<void> | void;
  /** Synchronous last resort for the lifecycle registry's 'exit' hook; must never throw. */
  killSync?(): void;
}

/** What a launch is given. */
export interface LaunchContext {
  readonly brokers: number;
  /** Client and controller ports per node (free loopback ports, or from options.port on). */
  readonly endpoints: readonly NodeEndpoints[];
  readonly options: BrokerStartOptions;
  readonly env: Env;
  readonly progress: Progress;
  /** Register what the launch makes as soon as it exists: stop() undoes it, newest first. */
  own(resource: LaunchedResource): void;
}

/** What a launch returns once its nodes run. */
export interface Launched<Extra extends object> {
  /** Default: 127.0.0.1 and each node's client port. */
  readonly bootstrapServers?: readonly string[];
  readonly logFiles: readonly string[];
  /** How clients connect to what was launched (options.security made real); default plaintext. */
  readonly security?: ClientSecurity;
  /** Rejects when the cluster can no longer become ready (a node exited); cancelled once it is ready. */
  failed?(cancel: AbortSignal): Promise<never>;
  /** Where to look when it is not ready in time (appended to the timeout message). */
  readonly hint: string;
  /** The progress line once ready; default `Kafka ready at <servers>`. */
  readonly readyMessage?: string;
  /** A richer error when readiness timed out (e.g. with the log's last lines). */
  explainNotReady?(error: BrokerError): Error;
  /** After the cluster answers: the provider's own checks (compose: its topics) and fields. */
  ready(
    broker: StartedBroker,
    timing: { readonly startedAt: number; readonly launchedAt: number; readonly readyAt: number },
  ): Promise<Extra> | Extra;
}

export interface StartTemplate<Kind extends Exclude<ConcreteProviderKind, 'external'>, Extra extends object> {
  readonly kind: Kind;
  /** For the cleanup registry's messages, e.g. `Kafka container(s) <id>`. */
  readonly name: string;
  /** The progress line when stop() begins; default `Stopping <name>`. */
  readonly stopMessage?: string;
  readonly options: BrokerStartOptions;
  readonly env: Env;
  readonly readyTimeoutMs?: number;
  launch(context: LaunchContext): Promise<Launched<Extra>>;
  /** Turn an error of the launch into the provider's own (default: as is). Harness errors are never passed. */
  wrapError?(error: unknown): Error;
}

export type StartedFromTemplate<Kind extends ConcreteProviderKind, Extra extends object> = StartedBroker &
  Extra & { readonly kind: Kind };

export async function startFromTemplate<Kind extends Exclude<ConcreteProviderKind, 'external'>, Extra extends object>(
  template: StartTemplate<Kind, Extra>,
): Promise<StartedFromTemplate<Kind, Extra>> {
  try {
    return await startOnce(template);
  } catch (error) {
    // A free port picked here can be taken by another process before the broker binds it: start once more on new
    // ports. A port the caller pinned (`port`) is theirs to free, so that failure stands.
    if (template.options.port !== undefined || template.options.signal?.aborted || !portTaken(error)) throw error;
    template.options.onProgress?.({
      step: 'start-broker',
      state: 'start',
      message: 'A port picked for the broker was taken meanwhile: starting again on other ports',
    });
    return startOnce(template);
  }
}

/** Whether a start failed because a port it was to listen on was taken ("address already in use", EADDRINUSE). */
export function portTaken(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const message = e instanceof Error ? e.message : String(e);
    if (/address already in use|EADDRINUSE/i.test(message)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

async function startOnce<Kind extends Exclude<ConcreteProviderKind, 'external'>, Extra extends object>(
  template: StartTemplate<Kind, Extra>,
): Promise<StartedFromTemplate<Kind, Extra>> {
  const { options } = template;
  const brokers = parseBrokerCount(options.brokers ?? DEFAULT_BROKERS, 'brokers');
  checkBrokerSecurityOptions(options.security);
  if (template.kind === 'compose' && options.security && options.security.mode !== 'plaintext') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `security ${options.security.mode} needs --kafka native or container; the compose file's brokers are plaintext.`,
      { key: 'security', value: options.security.mode },
    );
  }
  const progress: Progress = (step, state, message) => options.onProgress?.({ step, state, message });
  const startedAt = performance.now();

  const owned: LaunchedResource[] = [];
  let stopping: Promise<void> | undefined;
  const undo = (failedStart: boolean): Promise<void> => {
    stopping ??= (async () => {
      if (!failedStart) progress('stop', 'start', template.stopMessage ?? `Stopping ${template.name}`);
      const errors: unknown[] = [];
      for (const resource of owned.splice(0).reverse()) {
        try {
          await resource.stop({ failedStart });
        } catch (error) {
          errors.push(error);
          safeKill(resource);
        }
      }
      unregister();
      if (errors.length > 0) throw errors[0];
      if (!failedStart) progress('stop', 'done', 'Stopped');
    })();
    return stopping;
  };
  const unregister = registerCleanup({
    name: template.name,
    stop: () => undo(false),
    killSync: () => {
      for (const resource of [...owned].reverse()) safeKill(resource);
    },
  });

  try {
    const endpoints = await withInternalListeners(
      template.kind,
      await withFaultProxy(template.kind, await pickPorts(brokers, options.port), options),
      options,
    );
    const launched = await template.launch({
      brokers,
      endpoints,
      options,
      env: template.env,
      progress,
      own: (resource) => {
        if (stopping) {
          // Stopped (a signal) while launching: nothing made from now on may outlive the start.
          safeKill(resource);
          throw new BrokerError('BROKER_START_FAILED', `${template.name}: the start was cancelled while launching.`);
        }
        owned.push(resource);
      },
    });
    const launchedAt = performance.now();
    // The client side (kafkajs) loads while the brokers boot, not before they are spawned.
    const startedModule = import('./started.js');

    progress('wait-ready', 'start', 'Waiting for the cluster to answer');
    const bootstrapServers = launched.bootstrapServers ?? endpoints.map((e) => `${LOOPBACK}:${e.port}`);
    const watching = new AbortController();
    try {
      await waitForCluster({
        bootstrapServers,
        expectedBrokers: brokers,
        timeoutMs: template.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
        ...(launched.failed && { failed: launched.failed(watching.signal) }),
        ...(options.signal && { signal: options.signal }),
        ...(launched.security && { security: launched.security }),
        hint: launched.hint,
      });
    } catch (error) {
      if (launched.explainNotReady && error instanceof BrokerError && error.code === 'BROKER_NOT_READY')
        throw launched.explainNotReady(error);
      throw error;
    } finally {
      watching.abort();
    }
    const readyAt = performance.now();

    const { createStartedBroker } = await startedModule;
    const broker = createStartedBroker({
      kind: template.kind,
      bootstrapServers,
      brokerCount: brokers,
      logFiles: launched.logFiles,
      ...(launched.security && { security: launched.security }),
      ...(options.client && { client: options.client }),
      teardown: () => undo(false),
    });
    const extra = await launched.ready(broker, { startedAt, launchedAt, readyAt });
    progress('wait-ready', 'done', launched.readyMessage ?? `Kafka ready at ${bootstrapServers.join(',')}`);
    const proxied = options.faultProxy
      ? { proxiedBootstrapServers: endpoints.map((e) => `${LOOPBACK}:${e.proxied!.advertisedPort}`) }
      : {};
    return Object.assign(broker, extra, proxied, { kind: template.kind });
  } catch (error) {
    await undo(true).catch(() => {}); // the start's own error is the one to report
    progress('start-broker', 'fail', error instanceof Error ? error.message : String(error));
    if (error instanceof BrokerError || error instanceof ConfigError || !template.wrapError) throw error;
    throw template.wrapError(error);
  }
}

/** options.faultProxy: each node gets a PROXIED listener, advertised at the port of the proxy the hook puts in front of it. */
async function withFaultProxy(
  kind: ConcreteProviderKind,
  endpoints: NodeEndpoints[],
  options: BrokerStartOptions,
): Promise<NodeEndpoints[]> {
  if (!options.faultProxy) return endpoints;
  if (kind !== 'native' && kind !== 'container') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `a fault proxy in front of the brokers needs --kafka native or container; ${kind} brokers publish their own listeners (put the proxy on the client side instead: NetworkFaults.socketFactory).`,
      { key: 'faultProxy', value: kind },
    );
  }
  const listeners = await pickPorts(endpoints.length);
  const upstreams = endpoints.map((e, i) => ({ nodeId: e.nodeId, host: LOOPBACK, port: listeners[i]!.port }));
  const proxyPorts = await options.faultProxy(upstreams);
  return endpoints.map((e, i) => {
    const advertisedPort = proxyPorts.get(e.nodeId);
    if (advertisedPort === undefined)
      throw new BrokerError('BROKER_START_FAILED', `the fault proxy gave no port for broker node ${e.nodeId}.`);
    return { ...e, proxied: { port: upstreams[i]!.port, advertisedPort } };
  });
}

/** options.security: a secure client listener leaves inter-broker traffic to a PLAINTEXT loopback listener of its own (native; containers use their network). */
async function withInternalListeners(
  kind: ConcreteProviderKind,
  endpoints: NodeEndpoints[],
  options: BrokerStartOptions,
): Promise<NodeEndpoints[]> {
  if (kind !== 'native' || !options.security || options.security.mode === 'plaintext') return endpoints;
  const internal = await pickPorts(endpoints.length);
  return endpoints.map((e, i) => ({ ...e, internalPort: internal[i]!.port }));
}

function safeKill(resource: LaunchedResource): void {
  try {
    resource.killSync?.();
  } catch {
    // killSync must not throw; keep going with the others.
  }
}

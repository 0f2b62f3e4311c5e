import type { Admin, ClientKind, ClientLogLevel, KafkaClient } from '../clients/client-api.js';
import type { ClientSecurity } from '../config/security.js';
import type { BrokerSecurityOptions } from './kraft/security.js';

export type { Env } from '../kafka-distribution/index.js';

// The contract every broker provider fulfils: start → a started broker with bootstrap servers
// and an admin client → stop. Native JVM, container, compose and external all fit it unchanged.

export const PROVIDER_KINDS = ['auto', 'native', 'container', 'compose', 'external'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export type ConcreteProviderKind = Exclude<ProviderKind, 'auto'>;

export interface BrokerStartOptions {
  /** Number of KRaft nodes (combined broker+controller). Default 1. */
  readonly brokers?: number;
  /** Pin the first client port (the others follow); default: free loopback ports. */
  readonly port?: number;
  /** Keep the log here across restarts (replay); default: a fresh temp directory per start. */
  readonly dataDir?: string;
  /** Kafka version for native/container; default: the pinned one. */
  readonly kafkaVersion?: string;
  /** Container image override (container provider). */
  readonly image?: string;
  /** Bootstrap servers of an existing cluster (external provider). */
  readonly bootstrapServers?: readonly string[];
  /** Progress reporting for long steps (jar download, broker start). */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Abort a start in progress. */
  readonly signal?: AbortSignal;
  /**
   * Native and container: put a fault proxy in front of every node. Each node gets a second client listener
   * (PROXIED); the hook gets those listeners and returns, per node id, the 127.0.0.1 port of the proxy
   * in front of it, which the node advertises, so every connection of a client that bootstraps from
   * `proxiedBootstrapServers` goes through the proxy. Inter-broker traffic stays direct.
   */
  readonly faultProxy?: FaultProxyHook;
  /**
   * Native/container: what the client listeners speak (`plaintext`, `sasl-scram`, `tls`, `sasl-ssl`; default
   * plaintext) and, for SASL, the user (default `gamelan`) and password (default: random per start).
   */
  readonly security?: BrokerSecurityOptions;
  /**
   * The client library of every client kafka() and admin() make (`kafkajs` or `platformatic`); default
   * GAMELAN_KAFKA_CLIENT, else kafkajs. Checked before anything starts: platformatic on a Node older than 22.22 is a
   * ClientUnavailableError.
   */
  readonly client?: ClientKind;
  /** External: how to connect to the existing cluster; wins over commandConfig. */
  readonly clientSecurity?: ClientSecurity;
  /** External: a Kafka client.properties saying how to connect (`--command-config`). */
  readonly commandConfig?: string;
}

/** Creates the proxies for `options.faultProxy`: upstream listener per node → proxy port per node id. */
export type FaultProxyHook = (
  upstreams: readonly { readonly nodeId: number; readonly host: string; readonly port: number }[],
) => Promise<ReadonlyMap<number, number>>;

export interface ProgressEvent {
  readonly step: 'resolve-jars' | 'format-storage' | 'start-broker' | 'wait-ready' | 'stop';
  readonly state: 'start' | 'done' | 'fail';
  readonly message: string;
}

export interface StartedBroker extends AsyncDisposable {
  readonly kind: ConcreteProviderKind;
  /** `host:port` list for clients, always on 127.0.0.1 for brokers the harness started. */
  readonly bootstrapServers: readonly string[];
  /** With `options.faultProxy`: the proxies' addresses; clients bootstrapping here only ever reach the brokers through them. */
  readonly proxiedBootstrapServers?: readonly string[];
  readonly brokerCount: number;
  /** Where the broker logs are (native/container), for error messages and `up`'s summary. */
  readonly logFiles: readonly string[];
  /** How clients connect (protocol, credentials, CA); every client made by kafka() uses it. Holds secrets: never print it. */
  readonly security: ClientSecurity;
  /** The client library kafka() and admin() use, when the start chose one (`client`); else GAMELAN_KAFKA_CLIENT decides. */
  readonly client?: ClientKind;
  /**
   * A Kafka client for this cluster (the harness's client interface; `kafkajsClient` makes a raw kafkajs one);
   * callers own the producers/consumers they make from it. Logs at `logLevel` (default `error`).
   */
  kafka(clientId?: string, logLevel?: ClientLogLevel): KafkaClient;
  /** A connected admin client, shared and closed by stop(). */
  admin(): Promise<Admin>;
  /**
   * How broker faults reach this cluster's nodes, when the harness runs them: native JVMs by signals to their
   * pids, containers through the Docker API. Absent for clusters the harness does not run (external, compose).
   * The one place that decides which fault implementation a cluster gets (BrokerFaults uses it).
   */
  readonly nodeFaults?: NodeFaultDriver;
  /** Stop and clean up (idempotent: a second call is a no-op). */
  stop(): Promise<void>;
}

/** kill -9, pause/resume and restart of one node of a cluster the harness runs; each provider that runs nodes makes one. */
export interface NodeFaultDriver {
  /** `signals`: host processes (SIGKILL, SIGSTOP/SIGCONT); `docker`: containers (docker kill -s KILL, pause/unpause, stop/start). */
  readonly mechanism: 'signals' | 'docker';
  readonly nodeIds: readonly number[];
  /** What the node is, for messages: `pid 1234`, `container gamelan-kafka-…-2`. */
  describe(nodeId: number): string;
  /** kill -9 the node; resolves once it has exited. A killed node stays down until restart(). */
  kill(nodeId: number): Promise<void>;
  /** Freeze the node (it keeps its connections but answers nothing); resolves once frozen. */
  pause(nodeId: number): Promise<void>;
  /** Thaw a paused node; resolves once it runs again. */
  resume(nodeId: number): Promise<void>;
  /** The exit path's resume (no await there); best effort, never throws. */
  resumeSync(nodeId: number): void;
  /** Stop the node (at once if it was killed) and start it again on its log directory, same node id and client address; resolves once it runs. */
  restart?(nodeId: number): Promise<void>;
}

export interface BrokerProvider {
  readonly kind: ConcreteProviderKind;
  /** Why this provider cannot run here, or undefined when it can. Cheap: used by `auto` and `doctor`. */
  unavailableReason(): Promise<string | undefined>;
  start(options?: BrokerStartOptions): Promise<StartedBroker>;
}

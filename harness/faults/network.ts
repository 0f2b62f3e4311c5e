import { randomUUID } from 'node:crypto';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Admin, SocketFactory } from '../clients/client-api.js';
import type { Proxy, ToxicDirection } from 'toxiproxy-node-client';
import { FaultError } from '../errors.js';
import { type ActiveFault, activeFault, checkFaultNumber } from './active-fault.js';
import type { StartedToxiproxy } from './toxiproxy-server.js';
import { type SlicerOptions, TOXICS, type ToxicSpec } from './toxics.js';

export type { ActiveFault } from './active-fault.js';

// Network faults between Kafka clients and brokers, through Toxiproxy. Each client "lane" (the
// engine, one executor, a test's producer…) gets its own proxy in front of every broker, and a
// client's socket factory (clients/client-api.ts SocketFactory) that sends every connection of that client (bootstrap and each broker
// it learns from metadata) through its proxies. So a fault can hit one broker, one client, or all,
// without the brokers knowing: clients keep the real bootstrap servers.

/** The one client lane of proxies the brokers advertise: every client that bootstraps from them. */
export const ADVERTISED_LANE = 'advertised';

/** A broker as clients reach it (its advertised listener), e.g. from `admin.describeCluster()`. */
export interface BrokerAddress {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/** Which connections a fault hits. */
export interface FaultTarget {
  /** Broker node ids (default: every broker). */
  readonly broker?: number | readonly number[];
  /** Client lanes (default: every lane). */
  readonly client?: string | readonly string[];
  /** `upstream`: client → broker; `downstream`: broker → client (Toxiproxy's default); `both`. */
  readonly direction?: 'upstream' | 'downstream' | 'both';
  /** Remove the fault by itself after this many ms (default: until removed). */
  readonly forMs?: number;
  /** Share of connections hit, 0–1 (default 1). */
  readonly toxicity?: number;
}

export interface NetworkFaultsOptions {
  readonly toxiproxy: StartedToxiproxy;
  readonly brokers: readonly BrokerAddress[];
  /** Client lanes made at once (more with addClient). Default: ['default']. */
  readonly clients?: readonly string[];
}

interface Lane {
  readonly proxies: ReadonlyMap<number, { readonly proxy: Proxy; readonly host: string; readonly port: number }>;
}

const DEFAULT_LANE = 'default';
const LANE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The brokers of a cluster as clients reach them. */
export async function brokerAddresses(admin: Admin): Promise<BrokerAddress[]> {
  const { brokers } = await admin.describeCluster();
  return brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.nodeId - b.nodeId);
}

const asList = <T>(value: T | readonly T[] | undefined): readonly T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as T];

function hostPort(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  return { host: listen.slice(0, at), port: Number(listen.slice(at + 1)) };
}

/**
 * A client socket factory sending each connection to `routes[host:port]` (a proxy) instead; an address with no
 * route is connected directly and passed to `onBypass`.
 */
export function routedSocketFactory(
  routes: Readonly<Record<string, string>>,
  onBypass?: (address: string) => void,
): SocketFactory {
  return ({ host, port, ssl, onConnect }): Socket => {
    const to = routes[`${host}:${port}`];
    if (!to) onBypass?.(`${host}:${port}`);
    const target = to ? hostPort(to) : { host, port };
    // SNI names the broker as kafkajs does: only a host name (an IP address as SNI is refused by RFC 6066, and Node warns).
    const socket = ssl
      ? tlsConnect(
          {
            ...(typeof ssl === 'object' ? ssl : {}),
            host: target.host,
            port: target.port,
            ...(isIP(host) ? {} : { servername: host }),
          },
          onConnect,
        )
      : netConnect({ host: target.host, port: target.port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
}

export class NetworkFaults implements AsyncDisposable {
  readonly #toxiproxy: StartedToxiproxy;
  readonly #brokers: readonly BrokerAddress[];
  readonly #lanes = new Map<string, Lane>();
  readonly #active = new Set<ActiveFault>();
  readonly #bypassed = new Set<string>();
  /** Unique per instance, so several harnesses can share one Toxiproxy at TOXIPROXY_URL. */
  readonly #prefix = `gamelan-${randomUUID().slice(0, 8)}`;
  #toxics = 0;
  #stopped = false;

  private constructor(options: NetworkFaultsOptions) {
    this.#toxiproxy = options.toxiproxy;
    this.#brokers = options.brokers;
  }

  static async create(options: NetworkFaultsOptions): Promise<NetworkFaults> {
    if (options.brokers.length === 0)
      throw new FaultError(
        'FAULT_TARGET_UNKNOWN',
        'no brokers to put behind the fault proxy: pass at least one broker address',
      );
    const faults = new NetworkFaults(options);
    try {
      for (const client of options.clients ?? [DEFAULT_LANE]) await faults.addClient(client);
    } catch (error) {
      await faults.stop();
      throw error;
    }
    return faults;
  }

  /** A new client lane: one proxy per broker, listening on a free 127.0.0.1 port. */
  async addClient(client: string): Promise<void> {
    if (!LANE_NAME.test(client))
      throw new FaultError(
        'FAULT_PROXY_INVALID',
        `client name ${JSON.stringify(client)} is not allowed: use 1–64 letters, digits, '.', '_' or '-'`,
        { value: client },
      );
    if (this.#lanes.has(client)) return;
    const proxies = new Map<number, { proxy: Proxy; host: string; port: number }>();
    this.#lanes.set(client, { proxies });
    for (const broker of this.#brokers) {
      const proxy = await this.#call(`create the proxy for client ${client} to broker ${broker.nodeId}`, () =>
        this.#toxiproxy.client.createProxy({
          name: `${this.#prefix}-${client}-b${broker.nodeId}`,
          listen: '127.0.0.1:0',
          upstream: `${broker.host}:${broker.port}`,
        }),
      );
      proxies.set(broker.nodeId, { proxy, ...hostPort(proxy.listen) });
    }
  }

  clients(): readonly string[] {
    return [...this.#lanes.keys()];
  }

  /** The Toxiproxy name of a client's proxy in front of a broker (what another process drives it by: `fault` in the CLI). */
  proxyName(client: string, nodeId: number): string {
    const entry = this.#lane(client).proxies.get(nodeId);
    if (!entry) throw this.#unknownBroker(nodeId);
    return entry.proxy.name;
  }

  /** `host:port` of a client's proxy in front of a broker. */
  proxyAddress(client: string, nodeId: number): string {
    const entry = this.#lane(client).proxies.get(nodeId);
    if (!entry) throw this.#unknownBroker(nodeId);
    return `${entry.host}:${entry.port}`;
  }

  /**
   * A client socket factory for `createClient({ …, socketFactory })` (or kafkajs's `new Kafka({ …, socketFactory })`): every connection the client opens to a
   * broker goes through this client's proxy for that broker. An address that is no broker's (it should not
   * happen) is connected directly and listed by `bypassed()`, so a test can assert nothing went around.
   */
  socketFactory(client: string = DEFAULT_LANE): SocketFactory {
    return routedSocketFactory(this.routes(client), (address) => this.#bypassed.add(`${client} → ${address}`));
  }

  /**
   * Where a client's connections go: broker `host:port` → its proxy's `host:port` in this lane. A client in
   * another process gets this (e.g. as JSON in an environment variable) and builds `routedSocketFactory` from it.
   */
  routes(client: string = DEFAULT_LANE): Readonly<Record<string, string>> {
    const lane = this.#lane(client);
    return Object.fromEntries(
      this.#brokers.map((b) => {
        const proxy = lane.proxies.get(b.nodeId)!;
        return [`${b.host}:${b.port}`, `${proxy.host}:${proxy.port}`];
      }),
    );
  }

  /** Connections that did not go through a proxy (`client → host:port`). */
  bypassed(): readonly string[] {
    return [...this.#bypassed];
  }

  /** Delay data by `ms` (± `jitterMs`); downstream by default, so a request's round trip grows by `ms`. */
  async latency(ms: number, target: FaultTarget & { readonly jitterMs?: number } = {}): Promise<ActiveFault> {
    return this.#toxic(TOXICS.latency(ms, target.jitterMs), target);
  }

  /** Limit throughput to `kbPerSecond` KB/s. */
  async bandwidth(kbPerSecond: number, target: FaultTarget = {}): Promise<ActiveFault> {
    return this.#toxic(TOXICS.bandwidth(kbPerSecond), target);
  }

  /** Reset connections (TCP RST) when data arrives, immediately or `afterMs` later; new connections too, while in force. */
  async resetPeer(target: FaultTarget & { readonly afterMs?: number } = {}): Promise<ActiveFault> {
    return this.#toxic(TOXICS.resetPeer(target.afterMs), target);
  }

  /** Let nothing through (data is dropped) and keep connections open: a network partition. Removing it closes the connections it cut off, as Toxiproxy does; clients reconnect. */
  async blackhole(target: FaultTarget = {}): Promise<ActiveFault> {
    return this.#toxic(TOXICS.blackhole(), target);
  }

  /** Let nothing through and close connections after `ms`. */
  async timeout(ms: number, target: FaultTarget = {}): Promise<ActiveFault> {
    return this.#toxic(TOXICS.timeout(ms), target);
  }

  /** Cut data into small packets (`averageSize` ± `sizeVariation` bytes), `delayUs` µs apart. */
  async slicer(options: SlicerOptions, target: FaultTarget = {}): Promise<ActiveFault> {
    return this.#toxic(TOXICS.slicer(options), target);
  }

  /** Take the proxies down: open connections close and new ones are refused until removed. */
  async down(target: FaultTarget = {}): Promise<ActiveFault> {
    const proxies = this.#select(target);
    await Promise.all(
      proxies.map(({ proxy }) =>
        this.#call(`disable ${proxy.name}`, () =>
          proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream }),
        ),
      ),
    );
    return this.#track(`down (${this.#describe(target)})`, target.forMs, async () => {
      await Promise.all(
        proxies.map(({ proxy }) =>
          this.#call(`enable ${proxy.name}`, () =>
            proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream }),
          ),
        ),
      );
    });
  }

  /** Remove every fault in force. */
  async heal(): Promise<void> {
    await Promise.all([...this.#active].map((f) => f.remove()));
  }

  /** Remove the faults and this instance's proxies (the server stays: its owner stops it). Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.heal().catch(() => undefined);
    const proxies = [...this.#lanes.values()].flatMap((l) => [...l.proxies.values()]);
    await Promise.allSettled(proxies.map(({ proxy }) => proxy.remove()));
    this.#lanes.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #toxic({ type, attributes, streams, description: what }: ToxicSpec, target: FaultTarget): Promise<ActiveFault> {
    const proxies = this.#select(target);
    const directions: readonly ToxicDirection[] =
      target.direction === undefined
        ? streams
        : target.direction === 'both'
          ? ['upstream', 'downstream']
          : [target.direction];
    const toxicity = target.toxicity ?? 1;
    checkFaultNumber('toxicity', toxicity, 0, 1);
    const added: { remove(): Promise<void> }[] = [];
    const removeAll = async () => {
      await Promise.all(
        added.map((t) => t.remove().catch((e: unknown) => (String(e).includes('404') ? undefined : Promise.reject(e)))),
      );
    };
    try {
      for (const { proxy } of proxies) {
        for (const stream of directions) {
          const name = `${type}-${++this.#toxics}-${stream}`;
          added.push(
            await this.#call(`add ${what} to ${proxy.name}`, () =>
              proxy.addToxic({ name, type, stream, toxicity, attributes }),
            ),
          );
        }
      }
    } catch (error) {
      await removeAll().catch(() => undefined);
      throw error;
    }
    return this.#track(`${what} (${this.#describe(target)})`, target.forMs, removeAll);
  }

  #track(description: string, forMs: number | undefined, undo: () => Promise<void>): ActiveFault {
    const fault = activeFault(description, forMs, undo, (f) => this.#active.delete(f));
    this.#active.add(fault);
    return fault;
  }

  #select(target: FaultTarget): { proxy: Proxy }[] {
    const clients = asList(target.client) ?? [...this.#lanes.keys()];
    const brokers = asList(target.broker) ?? this.#brokers.map((b) => b.nodeId);
    return clients.flatMap((client) => {
      const lane = this.#lane(client);
      return brokers.map((nodeId) => {
        const entry = lane.proxies.get(nodeId);
        if (!entry) throw this.#unknownBroker(nodeId);
        return entry;
      });
    });
  }

  #lane(client: string): Lane {
    const lane = this.#lanes.get(client);
    if (!lane)
      throw new FaultError(
        'FAULT_TARGET_UNKNOWN',
        `unknown client ${JSON.stringify(client)}; ${this.#howToAddLane()}`,
        {
          value: client,
        },
      );
    return lane;
  }

  // Only the advertised lane: its clients have no lane each (a client library without a socket hook), so addClient
  // would make a lane nobody connects through.
  #howToAddLane(): string {
    const known = this.clients();
    if (known.length === 1 && known[0] === ADVERTISED_LANE)
      return `these faults have only the "${ADVERTISED_LANE}" lane, which every client shares (a client without a socket hook, such as --client platformatic, gets no lane of its own): fault every client (leave out "client"), or use --client kafkajs for a lane per client`;
    return `known: ${known.join(', ') || 'none'} (add it with addClient)`;
  }

  #unknownBroker(nodeId: number): FaultError {
    return new FaultError(
      'FAULT_TARGET_UNKNOWN',
      `unknown broker ${nodeId}; the brokers are ${this.#brokers.map((b) => b.nodeId).join(', ')}`,
      { value: nodeId },
    );
  }

  #describe(target: FaultTarget): string {
    const brokers = asList(target.broker);
    const clients = asList(target.client);
    return `${brokers ? `broker ${brokers.join(', ')}` : 'every broker'}, ${clients ? `client ${clients.join(', ')}` : 'every client'}${target.forMs !== undefined ? `, for ${target.forMs} ms` : ''}`;
  }

  async #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (this.#stopped) throw new FaultError('FAULT_FAILED', `cannot ${what}: these network faults were stopped`);
    try {
      return await call();
    } catch (cause) {
      throw new FaultError(
        'FAULT_FAILED',
        `Toxiproxy at ${this.#toxiproxy.url} could not ${what}: ${(cause as Error).message}`,
        {},
        { cause },
      );
    }
  }
}

import { randomUUID } from 'node:crypto';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { ToxicDirection, ToxicType } from 'toxiproxy-node-client';
import { FaultError } from '../errors.js';
import { checkFaultNumber } from './active-fault.js';

// Network faults on proxies another process made: `up --fault-proxy` creates the advertised proxies
// (one per broker) and records their Toxiproxy names; `gamelan-harness fault …` runs in a new process,
// finds them by name and adds or removes toxics. The toxics live on the Toxiproxy server, so a fault
// left in force (no --for) stays until `fault clear` or `down`. The toxics mirror NetworkFaults'.

/** What `up --fault-proxy` records (no secrets): where Toxiproxy answers and the proxy in front of each broker. */
export interface FaultProxyRecord {
  readonly toxiproxyUrl: string;
  /** Which fault proxy serves that API (`StartedToxiproxy.source.kind`: url, binary, testcontainers, builtin). */
  readonly proxyKind?: string;
  readonly proxiedBootstrapServers: readonly string[];
  readonly proxies: readonly { readonly nodeId: number; readonly name: string; readonly listen: string }[];
}

export const NETWORK_FAULT_KINDS = ['latency', 'bandwidth', 'blackhole', 'reset', 'slicer', 'down'] as const;
export type NetworkFaultKind = (typeof NETWORK_FAULT_KINDS)[number];

export interface NetworkFaultParams {
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly kbPerSecond?: number;
}

/** Toxics this module adds are named so; `clear` removes every toxic on the proxies anyway. */
const TOXIC_PREFIX = 'gamelan-cli';

interface ToxicSpec {
  readonly type: ToxicType;
  readonly attributes: object;
  readonly streams: readonly ToxicDirection[];
  readonly description: string;
}

/** The toxic(s) for a fault kind, as NetworkFaults adds them (latency downstream, blackhole both ways…). */
function toxicFor(kind: Exclude<NetworkFaultKind, 'down'>, params: NetworkFaultParams): ToxicSpec {
  switch (kind) {
    case 'latency': {
      const ms = params.latencyMs ?? Number.NaN;
      checkFaultNumber('latency ms', ms, 0);
      if (params.jitterMs !== undefined) checkFaultNumber('jitter ms', params.jitterMs, 0);
      return { type: 'latency', attributes: { latency: ms, jitter: params.jitterMs ?? 0 }, streams: ['downstream'], description: `latency ${ms} ms${params.jitterMs ? ` ± ${params.jitterMs} ms` : ''}` };
    }
    case 'bandwidth': {
      const rate = params.kbPerSecond ?? Number.NaN;
      checkFaultNumber('bandwidth KB/s', rate, 0);
      return { type: 'bandwidth', attributes: { rate }, streams: ['downstream'], description: `bandwidth ${rate} KB/s` };
    }
    case 'blackhole':
      return { type: 'timeout', attributes: { timeout: 0 }, streams: ['upstream', 'downstream'], description: 'blackhole' };
    case 'reset':
      return { type: 'reset_peer', attributes: { timeout: 0 }, streams: ['downstream'], description: 'reset peer' };
    case 'slicer':
      return { type: 'slicer', attributes: { average_size: 64, size_variation: 32, delay: 10 }, streams: ['downstream'], description: 'slicer 64 ± 32 B, 10 µs apart' };
  }
}

export interface AppliedNetworkFault {
  readonly description: string;
  /** Remove exactly what was applied (other faults stay). */
  remove(): Promise<void>;
}

export interface ProxyListing {
  readonly nodeId: number;
  readonly name: string;
  readonly listen: string;
  readonly enabled: boolean;
  readonly toxics: readonly { readonly name: string; readonly type: string; readonly stream: string; readonly attributes: unknown }[];
}

type ToxiproxyProxy = Awaited<ReturnType<Toxiproxy['get']>>;

export class AttachedFaultProxies {
  readonly #client: Toxiproxy;
  readonly #record: FaultProxyRecord;

  constructor(record: FaultProxyRecord) {
    this.#record = record;
    this.#client = new Toxiproxy(record.toxiproxyUrl);
  }

  nodeIds(): readonly number[] {
    return this.#record.proxies.map((p) => p.nodeId);
  }

  /** Apply a fault to the proxies of `brokers` (default: every broker). */
  async apply(kind: NetworkFaultKind, params: NetworkFaultParams, brokers?: readonly number[]): Promise<AppliedNetworkFault> {
    const targets = this.#select(brokers ?? this.nodeIds());
    const where = brokers ? `broker ${brokers.join(', ')}` : 'every broker';
    if (kind === 'down') {
      const proxies = await Promise.all(targets.map((t) => this.#proxy(t.name)));
      await Promise.all(proxies.map((p) => this.#call(`disable ${p.name}`, () => p.update({ enabled: false, listen: p.listen, upstream: p.upstream }))));
      return {
        description: `down (${where})`,
        remove: async () => {
          await Promise.all(proxies.map((p) => this.#call(`enable ${p.name}`, () => p.update({ enabled: true, listen: p.listen, upstream: p.upstream }))));
        },
      };
    }
    const spec = toxicFor(kind, params);
    const id = randomUUID().slice(0, 8);
    const added: { proxy: ToxiproxyProxy; name: string }[] = [];
    const remove = async () => {
      await Promise.all(
        added.map(({ proxy, name }) =>
          this.#call(`remove ${name} from ${proxy.name}`, async () => (await proxy.getToxic(name)).remove()).catch((e: unknown) => (String(e).includes('404') ? undefined : Promise.reject(e))),
        ),
      );
    };
    try {
      for (const target of targets) {
        const proxy = await this.#proxy(target.name);
        for (const stream of spec.streams) {
          const name = `${TOXIC_PREFIX}-${kind}-${id}-${stream}`;
          await this.#call(`add ${spec.description} to ${proxy.name}`, () => proxy.addToxic({ name, type: spec.type, stream, toxicity: 1, attributes: spec.attributes }));
          added.push({ proxy, name });
        }
      }
    } catch (error) {
      await remove().catch(() => undefined);
      throw error;
    }
    return { description: `${spec.description} (${where})`, remove };
  }

  /** Every proxy with its toxics and whether it is up. */
  async list(): Promise<ProxyListing[]> {
    return Promise.all(
      this.#record.proxies.map(async (p) => {
        const proxy = await this.#proxy(p.name);
        const toxics = await this.#call(`list the toxics of ${p.name}`, async () => (await proxy.api.get<ProxyListing['toxics']>(`${proxy.getPath()}/toxics`)).data);
        return { nodeId: p.nodeId, name: p.name, listen: proxy.listen, enabled: proxy.enabled, toxics };
      }),
    );
  }

  /** Remove every toxic and bring every proxy back up; returns how many faults were removed. */
  async clear(): Promise<number> {
    let removed = 0;
    for (const listing of await this.list()) {
      const proxy = await this.#proxy(listing.name);
      for (const toxic of listing.toxics) {
        await this.#call(`remove ${toxic.name} from ${proxy.name}`, async () => (await proxy.getToxic(toxic.name)).remove());
        removed++;
      }
      if (!listing.enabled) {
        await this.#call(`enable ${proxy.name}`, () => proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream }));
        removed++;
      }
    }
    return removed;
  }

  #select(brokers: readonly number[]): FaultProxyRecord['proxies'] {
    return brokers.map((nodeId) => {
      const proxy = this.#record.proxies.find((p) => p.nodeId === nodeId);
      if (!proxy) throw new FaultError('FAULT_TARGET_UNKNOWN', `--broker ${nodeId} is not a broker of this cluster; the brokers are ${this.nodeIds().join(', ')}`, { value: nodeId });
      return proxy;
    });
  }

  #proxy(name: string): Promise<ToxiproxyProxy> {
    return this.#call(`find the proxy ${name}`, () => this.#client.get(name));
  }

  async #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      throw new FaultError('FAULT_FAILED', `Toxiproxy at ${this.#record.toxiproxyUrl} could not ${what}: ${(cause as Error).message} (is the harness from \`up --fault-proxy\` still running?)`, {}, { cause });
    }
  }
}

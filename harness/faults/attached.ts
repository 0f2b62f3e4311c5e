import { randomUUID } from 'node:crypto';
import { Toxiproxy } from 'toxiproxy-node-client';
import { FaultError } from '../errors.js';
import { TOXICS, type ToxicSpec } from './toxics.js';

// Network faults on proxies another process made: `up --fault-proxy` creates the advertised proxies
// (one per broker) and records their Toxiproxy names; `gamelan-harness fault …` runs in a new process,
// finds them by name and adds or removes toxics. The toxics live on the Toxiproxy server, so a fault
// left in force (no --for) stays until `fault clear` or `down`. The toxics are NetworkFaults' (faults/toxics.ts).

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

/** The toxic for a fault kind of the CLI, from the one table (TOXICS, faults/toxics.ts). */
function toxicFor(kind: Exclude<NetworkFaultKind, 'down'>, params: NetworkFaultParams): ToxicSpec {
  switch (kind) {
    case 'latency':
      return TOXICS.latency(params.latencyMs ?? Number.NaN, params.jitterMs);
    case 'bandwidth':
      return TOXICS.bandwidth(params.kbPerSecond ?? Number.NaN);
    case 'blackhole':
      return TOXICS.blackhole();
    case 'reset':
      return TOXICS.resetPeer();
    case 'slicer':
      return TOXICS.slicer({ averageSize: 64, sizeVariation: 32, delayUs: 10 });
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
  readonly toxics: readonly {
    readonly name: string;
    readonly type: string;
    readonly stream: string;
    readonly attributes: unknown;
  }[];
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
  async apply(
    kind: NetworkFaultKind,
    params: NetworkFaultParams,
    brokers?: readonly number[],
  ): Promise<AppliedNetworkFault> {
    const targets = this.#select(brokers ?? this.nodeIds());
    const where = brokers ? `broker ${brokers.join(', ')}` : 'every broker';
    if (kind === 'down') {
      const proxies = await Promise.all(targets.map((t) => this.#proxy(t.name)));
      await Promise.all(
        proxies.map((p) =>
          this.#call(`disable ${p.name}`, () => p.update({ enabled: false, listen: p.listen, upstream: p.upstream })),
        ),
      );
      return {
        description: `down (${where})`,
        remove: async () => {
          await Promise.all(
            proxies.map((p) =>
              this.#call(`enable ${p.name}`, () => p.update({ enabled: true, listen: p.listen, upstream: p.upstream })),
            ),
          );
        },
      };
    }
    const spec = toxicFor(kind, params);
    const id = randomUUID().slice(0, 8);
    const added: { proxy: ToxiproxyProxy; name: string }[] = [];
    const remove = async () => {
      await Promise.all(
        added.map(({ proxy, name }) =>
          this.#call(`remove ${name} from ${proxy.name}`, async () => (await proxy.getToxic(name)).remove()).catch(
            (e: unknown) => (String(e).includes('404') ? undefined : Promise.reject(e)),
          ),
        ),
      );
    };
    try {
      for (const target of targets) {
        const proxy = await this.#proxy(target.name);
        for (const stream of spec.streams) {
          const name = `${TOXIC_PREFIX}-${kind}-${id}-${stream}`;
          await this.#call(`add ${spec.description} to ${proxy.name}`, () =>
            proxy.addToxic({ name, type: spec.type, stream, toxicity: 1, attributes: spec.attributes }),
          );
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
        const toxics = await this.#call(
          `list the toxics of ${p.name}`,
          async () => (await proxy.api.get<ProxyListing['toxics']>(`${proxy.getPath()}/toxics`)).data,
        );
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
        await this.#call(`remove ${toxic.name} from ${proxy.name}`, async () =>
          (await proxy.getToxic(toxic.name)).remove(),
        );
        removed++;
      }
      if (!listing.enabled) {
        await this.#call(`enable ${proxy.name}`, () =>
          proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream }),
        );
        removed++;
      }
    }
    return removed;
  }

  #select(brokers: readonly number[]): FaultProxyRecord['proxies'] {
    return brokers.map((nodeId) => {
      const proxy = this.#record.proxies.find((p) => p.nodeId === nodeId);
      if (!proxy)
        throw new FaultError(
          'FAULT_TARGET_UNKNOWN',
          `--broker ${nodeId} is not a broker of this cluster; the brokers are ${this.nodeIds().join(', ')}`,
          { value: nodeId },
        );
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
      throw new FaultError(
        'FAULT_FAILED',
        `Toxiproxy at ${this.#record.toxiproxyUrl} could not ${what}: ${(cause as Error).message} (is the harness from \`up --fault-proxy\` still running?)`,
        {},
        { cause },
      );
    }
  }
}

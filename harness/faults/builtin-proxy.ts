import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

// The built-in fault proxy: the last resort when no Toxiproxy can be had (no TOXIPROXY_URL, no
// toxiproxy-server, no Docker). It speaks the part of Toxiproxy's HTTP API the harness uses
// (proxies, toxics, enable/disable, /version, /reset), so NetworkFaults, `fault` in another process
// and toxiproxy-node-client drive it unchanged, and the same tests run against it (and against
// toxiproxy-server, the reference). The toxics do what Toxiproxy's do: latency (± jitter, from each
// chunk's arrival, order kept), bandwidth (KB/s), timeout (drop data; with a timeout, close the
// connection after it; removing it closes the connections it held), reset_peer (at the first data,
// after its timeout: TCP RST), slicer (small pieces, µs apart); a disabled proxy closes its
// connections and refuses new ones. Everything listens on 127.0.0.1 only and lives in this process.

/** What `/version` answers: the Toxiproxy API it follows, marked as ours. */
export const BUILTIN_PROXY_VERSION = '2.12.0-gamelan-builtin';

export const BUILTIN_TOXIC_TYPES = ['latency', 'bandwidth', 'timeout', 'reset_peer', 'slicer'] as const;
type ToxicType = (typeof BUILTIN_TOXIC_TYPES)[number];
type Stream = 'upstream' | 'downstream';

/** The numeric attributes each toxic takes (Toxiproxy's names), all ≥ 0. */
const TOXIC_ATTRIBUTES: Record<ToxicType, readonly string[]> = {
  latency: ['latency', 'jitter'],
  bandwidth: ['rate'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slicer: ['average_size', 'size_variation', 'delay'],
};

/** Bytes a connection may hold in its queue before the sender is paused. */
const QUEUE_HIGH_WATER = 1 << 20;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Toxic {
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
  /** Resolves when the toxic is removed: held data moves on, waits end. */
  readonly removed: Promise<void>;
  readonly remove: () => void;
}

const sleep = (ms: number, cancel: Promise<void>[]): Promise<void> =>
  ms <= 0
    ? Promise.resolve()
    : new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        for (const c of cancel) void c.then(() => (clearTimeout(timer), resolve()));
      });

/** One client connection and its upstream connection; two pipes, one per direction. */
class Link {
  readonly #timers = new Map<Toxic, NodeJS.Timeout>();
  readonly #draws = new Map<Toxic, boolean>();
  #closed = false;
  #resolveClosed!: () => void;
  readonly closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));

  constructor(
    readonly proxy: BuiltinProxy,
    readonly client: Socket,
    readonly upstream: Socket,
  ) {
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.close());
      socket.on('close', () => this.close());
    }
    new Pipe(this, client, upstream, 'upstream');
    new Pipe(this, upstream, client, 'downstream');
    for (const toxic of proxy.toxics()) this.toxicAdded(toxic);
  }

  /** Whether a toxic hits this connection: drawn once per connection by its toxicity, as Toxiproxy does. */
  hits(toxic: Toxic): boolean {
    let hit = this.#draws.get(toxic);
    if (hit === undefined) this.#draws.set(toxic, (hit = Math.random() < toxic.toxicity));
    return hit;
  }

  /** A timeout with a timeout starts counting when it meets the connection (added, or the connection made). */
  toxicAdded(toxic: Toxic): void {
    if (toxic.type !== 'timeout' || toxic.attributes.timeout === 0 || !this.hits(toxic)) return;
    this.#timers.set(
      toxic,
      setTimeout(() => this.close(), toxic.attributes.timeout),
    );
  }

  toxicRemoved(toxic: Toxic): void {
    clearTimeout(this.#timers.get(toxic));
    this.#timers.delete(toxic);
    // As Toxiproxy's timeout cleans up: the connections it cut off are closed (their dropped data is gone).
    if (toxic.type === 'timeout' && this.#draws.get(toxic)) this.close();
    this.#draws.delete(toxic);
  }

  /** Close both sides (FIN), as a closed Toxiproxy link does. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.client.destroy();
    this.upstream.destroy();
    this.proxy.forget(this);
    this.#resolveClosed();
  }

  /** TCP RST to the client (SO_LINGER 0), the upstream connection dropped. */
  reset(): void {
    if (this.#closed) return;
    if (!this.client.destroyed) this.client.resetAndDestroy();
    this.close();
  }
}

/** Data one way through the toxics of that direction, chunk by chunk in arrival order. */
class Pipe {
  readonly #queue: { data: Buffer; at: number }[] = [];
  #queued = 0;
  #ended = false;
  #running = false;

  constructor(
    readonly link: Link,
    readonly from: Socket,
    readonly to: Socket,
    readonly stream: Stream,
  ) {
    from.on('data', (data: Buffer) => {
      this.#queue.push({ data, at: performance.now() });
      this.#queued += data.length;
      if (this.#queued > QUEUE_HIGH_WATER) from.pause();
      void this.#run();
    });
    from.on('end', () => {
      this.#ended = true;
      void this.#run();
    });
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let chunk = this.#queue.shift(); chunk; chunk = this.#queue.shift()) {
        await this.#through(this.link.proxy.toxics(this.stream), chunk.data, chunk.at);
        this.#queued -= chunk.data.length;
        if (this.#queued <= QUEUE_HIGH_WATER && this.from.isPaused()) this.from.resume();
      }
      if (this.#ended && !this.to.destroyed) this.to.end();
    } finally {
      this.#running = false;
    }
  }

  /** The chunk through toxics[i…] in order, then written; a splitting toxic sends its pieces through the rest. */
  async #through(toxics: readonly Toxic[], data: Buffer, at: number, i = 0): Promise<void> {
    const toxic = toxics[i];
    if (!toxic) return this.#write(data);
    const next = (piece: Buffer) => this.#through(toxics, piece, at, i + 1);
    if (!this.link.hits(toxic)) return next(data);
    const cancel = [toxic.removed, this.link.closed];
    const a = toxic.attributes;
    switch (toxic.type) {
      case 'latency': {
        const jitter = a.jitter ? (Math.random() * 2 - 1) * a.jitter : 0;
        await sleep(at + (a.latency ?? 0) + jitter - performance.now(), cancel);
        return next(data);
      }
      case 'timeout':
        // Nothing passes while it is in force: the data is dropped (Link closes the connection when its
        // timeout runs out, or when the toxic is removed).
        return;
      case 'bandwidth': {
        const rate = a.rate ?? 0; // KB/s
        if (rate <= 0) {
          await Promise.race(cancel); // rate 0 lets nothing through until removed, then all of it (as Toxiproxy)
          return next(data);
        }
        const piece = rate * 100; // bytes per 100 ms
        for (let offset = 0; offset < data.length; offset += piece) {
          const slice = data.subarray(offset, offset + piece);
          await sleep(slice.length / rate, cancel);
          await next(slice);
        }
        return;
      }
      case 'slicer': {
        const average = Math.max(1, a.average_size ?? 1);
        const variation = Math.min(a.size_variation ?? 0, average - 1);
        let owedUs = 0; // timers count whole ms: µs delays are added up and slept once they make one
        for (let offset = 0; offset < data.length;) {
          const size = Math.max(1, Math.round(average + (Math.random() * 2 - 1) * variation));
          await next(data.subarray(offset, offset + size));
          offset += size;
          if (offset >= data.length) break;
          owedUs += a.delay ?? 0;
          if (owedUs >= 1_000) {
            await sleep(Math.floor(owedUs / 1_000), cancel);
            owedUs %= 1_000;
          }
        }
        return;
      }
      case 'reset_peer':
        // At the first data that meets it, after its timeout: the connection is reset and the data dropped.
        await sleep(a.timeout ?? 0, [this.link.closed]);
        this.link.reset();
        return;
    }
  }

  #write(data: Buffer): Promise<void> | void {
    if (this.to.destroyed || this.to.writableEnded) return;
    if (this.to.write(data)) return;
    return new Promise((resolve) => {
      const done = () => (this.to.off('drain', done), this.to.off('close', done), resolve());
      this.to.once('drain', done);
      this.to.once('close', done);
    });
  }
}

function parseAddress(value: unknown, field: string): { host: string; port: number } {
  const text = typeof value === 'string' ? value : '';
  const at = text.lastIndexOf(':');
  const host = text.slice(0, at);
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ApiError(400, `${field} ${JSON.stringify(value)} is not host:port`);
  return { host, port };
}

class BuiltinProxy {
  readonly #links = new Set<Link>();
  readonly #toxics = new Map<string, Toxic>();
  #server: Server | undefined;
  #port = 0;
  #upstream: { host: string; port: number };

  private constructor(
    readonly name: string,
    upstream: string,
  ) {
    this.#upstream = parseAddress(upstream, 'upstream');
  }

  static async create(body: {
    name?: unknown;
    listen?: unknown;
    upstream?: unknown;
    enabled?: unknown;
  }): Promise<BuiltinProxy> {
    if (typeof body.name !== 'string' || body.name === '') throw new ApiError(400, 'missing required field: name');
    const proxy = new BuiltinProxy(body.name, String(body.upstream ?? ''));
    const listen = parseAddress(body.listen ?? '127.0.0.1:0', 'listen');
    BuiltinProxy.#loopbackOnly(listen.host);
    proxy.#port = listen.port;
    if (body.enabled !== false) await proxy.#listen();
    return proxy;
  }

  static #loopbackOnly(host: string): void {
    if (host !== '127.0.0.1' && host !== 'localhost')
      throw new ApiError(
        400,
        `listen host ${JSON.stringify(host)} refused: the built-in fault proxy listens on 127.0.0.1 only`,
      );
  }

  get enabled(): boolean {
    return this.#server !== undefined;
  }

  toxics(stream?: Stream): Toxic[] {
    const all = [...this.#toxics.values()];
    return stream ? all.filter((t) => t.stream === stream) : all;
  }

  forget(link: Link): void {
    this.#links.delete(link);
  }

  json(): object {
    return {
      name: this.name,
      listen: `127.0.0.1:${this.#port}`,
      upstream: `${this.#upstream.host}:${this.#upstream.port}`,
      enabled: this.enabled,
      toxics: this.toxics().map(toxicJson),
    };
  }

  async update(body: { enabled?: unknown; listen?: unknown; upstream?: unknown }): Promise<void> {
    if (typeof body.upstream === 'string' && body.upstream !== '')
      this.#upstream = parseAddress(body.upstream, 'upstream');
    if (typeof body.listen === 'string' && body.listen !== '') {
      const listen = parseAddress(body.listen, 'listen');
      BuiltinProxy.#loopbackOnly(listen.host);
      if (listen.port !== 0 && listen.port !== this.#port) {
        await this.#close();
        this.#port = listen.port;
      }
    }
    if (body.enabled === false) await this.#close();
    else if (!this.enabled && (body.enabled === true || body.enabled === undefined)) await this.#listen();
  }

  addToxic(body: {
    name?: unknown;
    type?: unknown;
    stream?: unknown;
    toxicity?: unknown;
    attributes?: unknown;
  }): Toxic {
    const type = body.type as ToxicType;
    if (!BUILTIN_TOXIC_TYPES.includes(type))
      throw new ApiError(
        400,
        `toxic type ${JSON.stringify(body.type)} is not supported by the built-in fault proxy; supported: ${BUILTIN_TOXIC_TYPES.join(', ')}`,
      );
    const stream = (body.stream ?? 'downstream') as Stream;
    if (stream !== 'upstream' && stream !== 'downstream')
      throw new ApiError(400, `stream ${JSON.stringify(body.stream)} must be upstream or downstream`);
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : `${type}_${stream}`;
    if (this.#toxics.has(name)) throw new ApiError(409, `toxic already exists: ${name}`);
    let resolveRemoved!: () => void;
    const removed = new Promise<void>((resolve) => (resolveRemoved = resolve));
    const toxic: Toxic = { name, type, stream, toxicity: 1, attributes: {}, removed, remove: resolveRemoved };
    setToxicFields(toxic, body);
    this.#toxics.set(name, toxic);
    for (const link of this.#links) link.toxicAdded(toxic);
    return toxic;
  }

  toxic(name: string): Toxic {
    const toxic = this.#toxics.get(name);
    if (!toxic) throw new ApiError(404, `toxic not found: ${name}`);
    return toxic;
  }

  removeToxic(name: string): void {
    const toxic = this.toxic(name);
    this.#toxics.delete(name);
    for (const link of this.#links) link.toxicRemoved(toxic);
    toxic.remove();
  }

  async stop(): Promise<void> {
    for (const name of [...this.#toxics.keys()]) this.removeToxic(name);
    await this.#close();
  }

  async #listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect({ host: this.#upstream.host, port: this.#upstream.port });
      this.#links.add(new Link(this, client, upstream));
    });
    server.unref(); // the lifecycle registry stops it; it must not keep the harness alive
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) =>
        reject(new ApiError(500, `${this.name}: cannot listen on 127.0.0.1:${this.#port}: ${e.message}`)),
      );
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Disabled: no new connections, and the open ones are closed. */
  async #close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const link of [...this.#links]) link.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function toxicJson(t: Toxic): object {
  return { name: t.name, type: t.type, stream: t.stream, toxicity: t.toxicity, attributes: t.attributes };
}

function setToxicFields(toxic: Toxic, body: { toxicity?: unknown; attributes?: unknown }): void {
  if (body.toxicity !== undefined) {
    if (typeof body.toxicity !== 'number' || !(body.toxicity >= 0 && body.toxicity <= 1))
      throw new ApiError(400, `toxicity ${JSON.stringify(body.toxicity)} must be a number from 0 to 1`);
    toxic.toxicity = body.toxicity;
  }
  const given = (body.attributes ?? {}) as Record<string, unknown>;
  const attributes: Record<string, number> = { ...toxic.attributes };
  for (const key of TOXIC_ATTRIBUTES[toxic.type]) {
    const value = given[key] ?? attributes[key] ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new ApiError(400, `${toxic.type} attribute ${key} = ${JSON.stringify(value)} must be a number ≥ 0`);
    attributes[key] = value;
  }
  toxic.attributes = attributes;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ApiError(400, 'the request body is not a JSON object');
}

/** A running built-in fault proxy: its API on `url`; stop() closes every proxy and connection (idempotent). */
export interface BuiltinProxyServer {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startBuiltinProxyServer(): Promise<BuiltinProxyServer> {
  const proxies = new Map<string, BuiltinProxy>();
  const proxy = (name: string) => {
    const found = proxies.get(decodeURIComponent(name));
    if (!found) throw new ApiError(404, `proxy not found: ${decodeURIComponent(name)}`);
    return found;
  };

  async function route(method: string, parts: readonly string[], request: IncomingMessage): Promise<[number, unknown]> {
    const [root, name, sub, toxicName] = parts;
    if (root === 'version' && parts.length === 1 && method === 'GET') return [200, { version: BUILTIN_PROXY_VERSION }];
    if (root === 'reset' && parts.length === 1 && method === 'POST') {
      for (const p of proxies.values()) {
        for (const t of p.toxics()) p.removeToxic(t.name);
        if (!p.enabled) await p.update({ enabled: true });
      }
      return [204, undefined];
    }
    if (root !== 'proxies') throw new ApiError(404, `no such endpoint: ${method} /${parts.join('/')}`);
    if (name === undefined) {
      if (method === 'GET') return [200, Object.fromEntries([...proxies].map(([n, p]) => [n, p.json()]))];
      if (method === 'POST') {
        const body = await readJson(request);
        if (typeof body.name === 'string' && proxies.has(body.name))
          throw new ApiError(409, `proxy already exists: ${body.name}`);
        const created = await BuiltinProxy.create(body);
        proxies.set(created.name, created);
        return [201, created.json()];
      }
    } else if (sub === undefined) {
      const p = proxy(name);
      if (method === 'GET') return [200, p.json()];
      if (method === 'POST' || method === 'PATCH') {
        await p.update(await readJson(request));
        return [200, p.json()];
      }
      if (method === 'DELETE') {
        proxies.delete(p.name);
        await p.stop();
        return [204, undefined];
      }
    } else if (sub === 'toxics' && toxicName === undefined) {
      const p = proxy(name);
      if (method === 'GET') return [200, p.toxics().map(toxicJson)];
      if (method === 'POST') return [200, toxicJson(p.addToxic(await readJson(request)))];
    } else if (sub === 'toxics' && parts.length === 4) {
      const p = proxy(name);
      const t = p.toxic(decodeURIComponent(toxicName!));
      if (method === 'GET') return [200, toxicJson(t)];
      if (method === 'POST' || method === 'PATCH') {
        setToxicFields(t, await readJson(request));
        return [200, toxicJson(t)];
      }
      if (method === 'DELETE') {
        p.removeToxic(t.name);
        return [204, undefined];
      }
    }
    throw new ApiError(405, `${method} /${parts.join('/')} is not allowed`);
  }

  const server: HttpServer = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    const parts = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.split('/').filter(Boolean);
    route(request.method ?? 'GET', parts, request).then(
      ([status, body]) => {
        if (body === undefined) response.writeHead(status).end();
        else response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      },
      (error: unknown) => {
        const status = error instanceof ApiError ? error.status : 500;
        response
          .writeHead(status, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: (error as Error).message, status }));
      },
    );
  });
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([...proxies.values()].map((p) => p.stop()));
        proxies.clear();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}

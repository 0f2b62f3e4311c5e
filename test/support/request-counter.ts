import { createServer, type Server, type Socket, connect } from 'node:net';
import type { FaultProxyHook } from '../../harness/brokers/types.js';

// What clients ask the brokers, counted on the wire: a relay in front of each node's advertised proxy reads the
// request headers (size, api key, api version, correlation id, client id) of every plaintext request a client
// sends. Adapter-agnostic, so a test can say "this stopped consumer sent no request since" for any client library.

/** Kafka's api keys the tests count. */
export const API_KEYS = { Produce: 0, Fetch: 1 } as const;

export interface RequestCounter extends AsyncDisposable {
  /** Wrap a broker start's fault proxy hook: clients reach the counter, the counter the hook's proxies. */
  readonly faultProxy: FaultProxyHook;
  /** Requests seen from `clientId` (of `apiKey` only, if given). */
  count(clientId: string, apiKey?: number): number;
  stop(): Promise<void>;
}

/** Reads one connection's request frames as they arrive (frames may be split or coalesced across chunks). */
export function frameReader(onRequest: (apiKey: number, clientId: string) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const size = pending.readInt32BE(0);
      if (pending.length < 4 + size) break;
      const frame = pending.subarray(4, 4 + size);
      // Header v1+: api key, api version, correlation id, client id (nullable string).
      const clientIdLength = frame.length >= 10 ? frame.readInt16BE(8) : -1;
      const clientId = clientIdLength >= 0 ? frame.subarray(10, 10 + clientIdLength).toString('utf8') : '';
      onRequest(frame.readInt16BE(0), clientId);
      pending = pending.subarray(4 + size);
    }
  };
}

export function requestCounter(inner: FaultProxyHook): RequestCounter {
  const counts = new Map<string, number>();
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  const relay = (upstreamPort: number) =>
    new Promise<Server>((resolve) => {
      const server = createServer((client) => {
        const upstream = connect(upstreamPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined); // a reset on one side closes the other below
        }
        const read = frameReader((apiKey, clientId) => {
          bump(clientId);
          bump(`${clientId}\u0000${apiKey}`);
        });
        client.on('data', read);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(0, '127.0.0.1', () => resolve(server));
    });

  const stop = async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  return {
    faultProxy: async (upstreams) => {
      const proxied = await inner(upstreams);
      const ports = new Map<number, number>();
      for (const [nodeId, port] of proxied) {
        const server = await relay(port);
        servers.push(server);
        ports.set(nodeId, (server.address() as { port: number }).port);
      }
      return ports;
    },
    count: (clientId, apiKey) => counts.get(apiKey === undefined ? clientId : `${clientId}\u0000${apiKey}`) ?? 0,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

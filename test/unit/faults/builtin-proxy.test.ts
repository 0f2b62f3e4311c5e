import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findToxiproxy,
  startBuiltinProxy,
  type StartedToxiproxy,
  startToxiproxy,
} from '../../../harness/faults/index.js';
import { pendingCleanups } from '../../../harness/lifecycle/index.js';

// The built-in fault proxy on its own: Toxiproxy's API as toxiproxy-node-client drives it, and each
// toxic's effect on a TCP echo server behind it. The behaviour tests run against toxiproxy-server too
// where it is installed, so they check the built-in proxy does what Toxiproxy does. (The network-fault
// integration tests run the same Kafka-level tests through both.)

const server = findToxiproxy();
const referenceUnavailable =
  server.kind === 'binary'
    ? undefined
    : server.kind === 'url'
      ? 'TOXIPROXY_URL is set (a shared server)'
      : server.reason;
if (referenceUnavailable)
  console.warn(`[skip] toxic behaviour through toxiproxy-server (the reference): ${referenceUnavailable}`);
const implementations = [
  { name: 'builtin', start: startBuiltinProxy },
  ...(referenceUnavailable ? [] : [{ name: 'toxiproxy-server', start: () => startToxiproxy({ kind: 'toxiproxy' }) }]),
];

let echo: Server;
let echoPort: number;
let proxy: StartedToxiproxy;
const sockets: Socket[] = [];

beforeAll(async () => {
  echo = createServer((s) => s.on('error', () => {}).pipe(s)); // a reset reaches the echo server's side too
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoPort = (echo.address() as { port: number }).port;
  proxy = await startBuiltinProxy();
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await proxy?.stop();
  echo?.close();
});

let names = 0;
async function newProxy() {
  const created = await proxy.client.createProxy({
    name: `echo-${++names}`,
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${echoPort}`,
  });
  const port = Number(created.listen.split(':').pop());
  return { created, port };
}

async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Write `text` and resolve with the echo once `text.length` bytes came back, with how long it took. */
function roundTrip(socket: Socket, text: string): Promise<{ data: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let data = '';
    const onData = (chunk: Buffer) => {
      data += chunk.toString();
      if (data.length >= text.length) {
        socket.off('data', onData);
        resolve({ data, ms: performance.now() - started });
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${data.length} of ${text.length} bytes`)));
    socket.write(text);
  });
}

const closedHow = (socket: Socket) =>
  new Promise<string>((resolve) => {
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    socket.once('close', () => resolve('closed'));
  });

describe('the built-in fault proxy', () => {
  it('answers Toxiproxy’s API on 127.0.0.1 and is registered for cleanup', async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proxy.source).toEqual({ kind: 'builtin' });
    expect(proxy.version).toMatch(/^\d+\.\d+\.\d+-gamelan-builtin$/);
    expect(pendingCleanups().map((r) => r.name)).toContain(`built-in fault proxy on ${proxy.url}`);
    const { created } = await newProxy();
    expect(created.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(created.enabled).toBe(true);
    expect(Object.keys(await proxy.client.getAll())).toContain(created.name);
    await expect(
      proxy.client.createProxy({ name: created.name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` }),
    ).rejects.toThrow('409');
    await created.remove();
    await expect(proxy.client.get(created.name)).rejects.toThrow('404');
  });

  it('refuses to listen anywhere but on loopback, and names unsupported toxics', async () => {
    const refused = await fetch(`${proxy.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: 'wide', listen: '0.0.0.0:0', upstream: `127.0.0.1:${echoPort}` }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: 'listen host "0.0.0.0" refused: the built-in fault proxy listens on 127.0.0.1 only',
    });
    const { created } = await newProxy();
    const bad = await fetch(`${proxy.url}/proxies/${created.name}/toxics`, {
      method: 'POST',
      body: JSON.stringify({ type: 'limit_data', attributes: { bytes: 1 } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe(
      'toxic type "limit_data" is not supported by the built-in fault proxy; supported: latency, bandwidth, timeout, reset_peer, slicer',
    );
    const negative = await fetch(`${proxy.url}/proxies/${created.name}/toxics`, {
      method: 'POST',
      body: JSON.stringify({ type: 'latency', attributes: { latency: -5 } }),
    });
    expect(((await negative.json()) as { error: string }).error).toBe(
      'latency attribute latency = -5 must be a number ≥ 0',
    );
  });

  it('stop closes the API and every proxy, and twice is fine', async () => {
    const own = await startBuiltinProxy();
    const created = await own.client.createProxy({
      name: 'gone',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${echoPort}`,
    });
    const port = Number(created.listen.split(':').pop());
    await own.stop();
    await own.stop();
    await expect(fetch(`${own.url}/version`)).rejects.toThrow();
    await expect(open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(pendingCleanups().map((r) => r.name)).not.toContain(`built-in fault proxy on ${own.url}`);
  });
});

describe.each(implementations)('toxics through $name', ({ start }) => {
  let proxy: StartedToxiproxy;
  let names = 0;
  beforeAll(async () => {
    proxy = await start();
  });
  afterAll(async () => {
    await proxy?.stop();
  });
  async function newProxy() {
    const created = await proxy.client.createProxy({
      name: `toxic-${++names}`,
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${echoPort}`,
    });
    return { created, port: Number(created.listen.split(':').pop()) };
  }

  it('latency holds each reply by the latency (the toxic listed while in force), and is gone once removed', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    expect((await roundTrip(socket, 'warm')).data).toBe('warm');
    const toxic = await created.addToxic({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 300, jitter: 0 },
    });
    expect((await created.getToxic('slow')).attributes).toEqual({ latency: 300, jitter: 0 });
    const slow = await roundTrip(socket, 'hello');
    expect(slow.data).toBe('hello');
    expect(slow.ms).toBeGreaterThanOrEqual(295);
    await toxic.remove();
    expect((await roundTrip(socket, 'again')).ms).toBeLessThan(300);
  });

  it('latency jitter spreads the delay around the latency', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    await created.addToxic({
      name: 'jittery',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 150, jitter: 100 },
    });
    const times: number[] = [];
    for (let i = 0; i < 8; i++) times.push((await roundTrip(socket, `j${i}`)).ms);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(45); // 150 - 100, less timer slack
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(10); // not one fixed delay
  });

  it('toxicity 0 spares every connection', async () => {
    const { created, port } = await newProxy();
    await created.addToxic({
      name: 'never',
      type: 'latency',
      stream: 'downstream',
      toxicity: 0,
      attributes: { latency: 2_000, jitter: 0 },
    });
    expect((await roundTrip(await open(port), 'spared')).ms).toBeLessThan(2_000);
  });

  it('timeout 0 lets nothing through and keeps the connection open; removing it closes the connection, new ones work', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    const toxic = await created.addToxic({
      name: 'hole',
      type: 'timeout',
      stream: 'upstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    const how = closedHow(socket);
    socket.write('dropped-data');
    await new Promise((r) => setTimeout(r, 400));
    expect(received).toBe(0);
    expect(socket.destroyed).toBe(false);
    await toxic.remove();
    expect(await how).toBe('closed');
    expect(received).toBe(0); // dropped, not held
    expect((await roundTrip(await open(port), 'fresh')).data).toBe('fresh');
  });

  it('timeout > 0 closes the connection after the timeout', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    const how = closedHow(socket);
    const started = performance.now();
    await created.addToxic({
      name: 'cut',
      type: 'timeout',
      stream: 'downstream',
      toxicity: 1,
      attributes: { timeout: 200 },
    });
    expect(await how).toBe('closed');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('reset_peer resets open and new connections (ECONNRESET) at their next data while in force', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    const how = closedHow(socket);
    const toxic = await created.addToxic({
      name: 'rst',
      type: 'reset_peer',
      stream: 'downstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    socket.write('ping');
    // toxiproxy-server ends a connection that was open when the toxic came with a FIN; new ones get the RST.
    expect(['ECONNRESET', 'closed']).toContain(await how);
    const fresh = await open(port);
    const freshHow = closedHow(fresh);
    fresh.write('ping');
    expect(await freshHow).toBe('ECONNRESET');
    await toxic.remove();
    expect((await roundTrip(await open(port), 'back')).data).toBe('back');
  });

  it('bandwidth 0 holds the data until removed, then delivers it all', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    const toxic = await created.addToxic({
      name: 'shut',
      type: 'bandwidth',
      stream: 'downstream',
      toxicity: 1,
      attributes: { rate: 0 },
    });
    let arrived = false;
    const trip = roundTrip(socket, 'held').then((r) => ((arrived = true), r));
    await new Promise((r) => setTimeout(r, 400));
    expect(arrived).toBe(false);
    await toxic.remove();
    expect((await trip).data).toBe('held');
  });

  it('a disabled proxy refuses connections and closes open ones; enabled again on the same port', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    const how = closedHow(socket);
    const down = await created.update({ enabled: false, listen: created.listen, upstream: created.upstream });
    expect(down.enabled).toBe(false);
    expect(await how).toBe('closed');
    await expect(open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const up = await down.update({ enabled: true, listen: down.listen, upstream: down.upstream });
    expect(up.listen).toBe(`127.0.0.1:${port}`);
    expect((await roundTrip(await open(port), 'up')).data).toBe('up');
  });

  it('bandwidth paces data at the rate (60 KB at 100 KB/s takes about 0.6 s); slicer delivers it intact, in pieces, µs apart', async () => {
    const { created, port } = await newProxy();
    const socket = await open(port);
    const bandwidth = await created.addToxic({
      name: 'narrow',
      type: 'bandwidth',
      stream: 'upstream',
      toxicity: 1,
      attributes: { rate: 100 },
    });
    const text = 'b'.repeat(60 * 1024);
    const paced = await roundTrip(socket, text);
    expect(paced.data).toBe(text);
    expect(paced.ms).toBeGreaterThanOrEqual(550);
    await bandwidth.remove();
    // 508 bytes in pieces of 4–12 bytes, 2 ms apart: at least 42 pieces, so at least 80 ms.
    await created.addToxic({
      name: 'slices',
      type: 'slicer',
      stream: 'downstream',
      toxicity: 1,
      attributes: { average_size: 8, size_variation: 4, delay: 2_000 },
    });
    const chunks: number[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c.length));
    const sliced = `sliced-${'z'.repeat(500)}`;
    const trip = await roundTrip(socket, sliced);
    expect(trip.data).toBe(sliced);
    expect(trip.ms).toBeGreaterThanOrEqual(80);
    expect(chunks.length).toBeGreaterThan(1);
  });
});

// Prints what each fault proxy available here costs with no fault in force: the round trip of a small
// message and the throughput of a 64 MiB stream, through the proxy to a TCP echo/sink server, next to
// the same without a proxy. `npm run bench:fault-proxy` (GAMELAN_BENCH_KINDS=builtin,toxiproxy,… to choose).
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { FAULT_PROXY_KINDS, type FaultProxyKind, faultProxyUnavailable, startToxiproxy } from './fault-proxy.js';

const ROUND_TRIPS = 2_000;
const STREAM_BYTES = 64 * 2 ** 20;

const echo = createServer((s) => s.on('error', () => {}).pipe(s)).listen(0, '127.0.0.1');
const sink = createServer((s) =>
  s
    .on('error', () => {})
    .on('data', () => {})
    .on('end', () => s.end()),
).listen(0, '127.0.0.1');
await Promise.all([once(echo, 'listening'), once(sink, 'listening')]);
const portOf = (server: typeof echo) => (server.address() as { port: number }).port;

async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  return socket;
}

/** Median and 99th percentile of ping-pong round trips of 16 bytes, in µs. */
async function roundTrips(port: number): Promise<{ p50: number; p99: number }> {
  const socket = await open(port);
  const times: number[] = [];
  const payload = Buffer.alloc(16, 1);
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const started = performance.now();
    socket.write(payload);
    let got = 0;
    while (got < payload.length) got += ((await once(socket, 'data')) as [Buffer])[0].length;
    times.push((performance.now() - started) * 1_000);
  }
  socket.destroy();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, p99: times[Math.floor(times.length * 0.99)]! };
}

/** MiB/s of a one-way stream of STREAM_BYTES, until the sink has read it all (it closes after the end). */
async function throughput(port: number): Promise<number> {
  const socket = await open(port);
  const chunk = Buffer.alloc(64 * 1024, 2);
  const started = performance.now();
  for (let sent = 0; sent < STREAM_BYTES; sent += chunk.length) if (!socket.write(chunk)) await once(socket, 'drain');
  socket.end();
  socket.resume();
  await once(socket, 'close');
  return STREAM_BYTES / 2 ** 20 / ((performance.now() - started) / 1_000);
}

const line = (what: string, rt: { p50: number; p99: number }, mibs: number) =>
  console.log(
    `${what.padEnd(16)} round trip p50 ${rt.p50.toFixed(0).padStart(5)} µs, p99 ${rt.p99.toFixed(0).padStart(6)} µs; stream ${mibs.toFixed(0).padStart(5)} MiB/s`,
  );

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, load ${loadavg()[0]!.toFixed(1)}`,
);
line('direct', await roundTrips(portOf(echo)), await throughput(portOf(sink)));
const wanted = (process.env.GAMELAN_BENCH_KINDS?.split(',') ?? FAULT_PROXY_KINDS) as FaultProxyKind[];
for (const kind of wanted) {
  const unavailable = await faultProxyUnavailable(kind);
  if (unavailable) {
    console.log(`${kind.padEnd(16)} not measured: ${unavailable}`);
    continue;
  }
  await using proxy = await startToxiproxy({ kind });
  const make = async (name: string, port: number) =>
    Number(
      (await proxy.client.createProxy({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}` })).listen
        .split(':')
        .pop(),
    );
  line(
    kind,
    await roundTrips(await make('bench-echo', portOf(echo))),
    await throughput(await make('bench-sink', portOf(sink))),
  );
}
echo.close();
sink.close();

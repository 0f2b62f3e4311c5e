import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { FaultError } from '../errors.js';
import { type Env, findOnPath, harnessCacheDir } from '../kafka-distribution/index.js';
import { registerCleanup } from '../lifecycle/index.js';
import { waitFor } from '../wait.js';

// Where a Toxiproxy server comes from, in this order: a running Toxiproxy at TOXIPROXY_URL;
// else toxiproxy-server on PATH; else the one scripts/install-toxiproxy.sh put in the per-user
// cache (when there is none, fault-proxy.ts falls back to a container, then to the built-in proxy). A server the harness starts listens on 127.0.0.1 only, dies with the harness (even after
// kill -9: see WATCH_SCRIPT) and is stopped by the lifecycle registry on exit and signals.

export type ToxiproxySource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'binary'; readonly path: string; readonly from: 'PATH' | 'cache' };

export const TOXIPROXY_BINARY = 'toxiproxy-server';

/** Where scripts/install-toxiproxy.sh installs the server. */
export const installedToxiproxyPath = (env: Env = process.env): string =>
  join(harnessCacheDir(env), 'toxiproxy', TOXIPROXY_BINARY);

/** The Toxiproxy this machine offers, or why there is none (with the fix). Cheap: no process is started. */
export function findToxiproxy(
  env: Env = process.env,
): ToxiproxySource | { readonly kind: 'none'; readonly reason: string } {
  const url = env.TOXIPROXY_URL?.trim();
  if (url) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) {
      throw new FaultError(
        'FAULT_PROXY_INVALID',
        `TOXIPROXY_URL=${JSON.stringify(url)} is not a Toxiproxy API address; expected http://host:port, e.g. http://127.0.0.1:8474`,
        { value: url },
      );
    }
    return { kind: 'url', url: url.replace(/\/$/, '') };
  }
  const onPath = findOnPath(TOXIPROXY_BINARY, env);
  if (onPath) return { kind: 'binary', path: onPath, from: 'PATH' };
  const installed = installedToxiproxyPath(env);
  if (existsSync(installed)) return { kind: 'binary', path: installed, from: 'cache' };
  return {
    kind: 'none',
    reason: `no Toxiproxy: TOXIPROXY_URL is not set, ${TOXIPROXY_BINARY} is not on PATH and not at ${installed}; run scripts/install-toxiproxy.sh (needs Go) or set TOXIPROXY_URL`,
  };
}

/**
 * Every fault proxy the harness can use, in the order it looks for one (fault-proxy.ts chooses):
 * a Toxiproxy server (TOXIPROXY_URL, or toxiproxy-server started here), the Toxiproxy image run through
 * Testcontainers, or the built-in proxy. All of them speak Toxiproxy's HTTP API.
 */
export type FaultProxySource =
  | ToxiproxySource
  | { readonly kind: 'testcontainers'; readonly image: string; readonly containerId: string }
  | { readonly kind: 'builtin' };

/** A Toxiproxy API the harness can drive: one it started (stopped by stop()) or one it was given. */
export interface StartedToxiproxy extends AsyncDisposable {
  readonly url: string;
  readonly source: FaultProxySource;
  /** The toxiproxy-node-client handle. */
  readonly client: Toxiproxy;
  readonly version: string;
  /** Stops a server the harness started; a server given by TOXIPROXY_URL is left running. Idempotent. */
  stop(): Promise<void>;
}

// Runs the server as a child of a shell that reads the harness's stdin pipe: when the harness
// exits for any reason (kill -9 included) the pipe closes, `cat` returns and the server is killed.
const WATCH_SCRIPT = `"$0" "$@" & p=$!
cat >/dev/null
kill $p 2>/dev/null
wait $p
exit 0`;

/** `/version` answers `{"version": "2.12.0"}` (older servers: the bare text). */
export async function serverVersion(client: Toxiproxy): Promise<string> {
  const text = (await client.getVersion()).trim();
  try {
    const parsed = JSON.parse(text) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : text;
  } catch {
    return text;
  }
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Attach to the Toxiproxy at `source.url`, or start `source.path` on 127.0.0.1 (see fault-proxy.ts for the choice). */
export async function startToxiproxyServer(source: ToxiproxySource, timeoutMs = 10_000): Promise<StartedToxiproxy> {
  if (source.kind === 'url') {
    const client = new Toxiproxy(source.url);
    const version = await serverVersion(client).catch((cause: unknown) => {
      throw new FaultError(
        'FAULT_PROXY_UNAVAILABLE',
        `TOXIPROXY_URL=${source.url} does not answer (${String(cause)}); start Toxiproxy there or unset TOXIPROXY_URL`,
        { value: source.url },
        { cause },
      );
    });
    return { url: source.url, source, client, version, stop: async () => {}, [Symbol.asyncDispose]: async () => {} };
  }
  return launch(source, timeoutMs);
}

async function launch(
  source: Extract<ToxiproxySource, { kind: 'binary' }>,
  timeoutMs: number,
): Promise<StartedToxiproxy> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'sh',
    ['-c', WATCH_SCRIPT, source.path, '-host', '127.0.0.1', '-port', String(port)],
    {
      detached: true, // its own process group, so killSync takes the server with the shell
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean).slice(-20));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.stdin?.on('error', () => {});
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  child.once('error', (e) => output.push(String(e)));
  const killSync = () => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let stopping: Promise<void> | undefined;
  const unregister = registerCleanup({ name: `toxiproxy-server on ${url}`, stop: () => stop(), killSync });
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      child.stdin?.end(); // the watch script kills the server and exits
      const timer = setTimeout(killSync, 3_000);
      await exit;
      clearTimeout(timer);
      unregister();
    })());
  const client = new Toxiproxy(url);
  try {
    const version = await waitFor(
      async () => {
        if (exited)
          throw new FaultError(
            'FAULT_PROXY_UNAVAILABLE',
            `${source.path} exited at start: ${output.slice(-5).join(' | ') || 'no output'}`,
          );
        return serverVersion(client).catch(() => undefined);
      },
      {
        timeoutMs,
        intervalMs: 25,
        description: `toxiproxy-server (${source.path}) to answer on ${url}`,
        describeLast: () => output.slice(-3).join(' | ') || 'no output',
      },
    );
    // Neither the child nor its pipes may keep the harness alive: the lifecycle registry stops it.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr])
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
    return { url, source, client, version, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    if (error instanceof FaultError) throw error;
    throw new FaultError(
      'FAULT_PROXY_UNAVAILABLE',
      `toxiproxy-server (${source.path}) did not start: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

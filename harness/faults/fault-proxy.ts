import { Toxiproxy } from 'toxiproxy-node-client';
import type { Env } from '../brokers/types.js';
import { ConfigError, FaultError } from '../errors.js';
import { registerCleanup } from '../lifecycle/index.js';
import { startBuiltinProxyServer } from './builtin-proxy.js';
import {
  findToxiproxy,
  serverVersion,
  type StartedToxiproxy,
  startToxiproxyServer,
  TOXIPROXY_BINARY,
  type ToxiproxySource,
} from './toxiproxy-server.js';

// Which fault proxy network faults go through, decided here and only here. In this order:
//   1. toxiproxy       a Toxiproxy at TOXIPROXY_URL, else toxiproxy-server on PATH or in the cache;
//   2. testcontainers  the Toxiproxy image run through testcontainers, where Docker answers and the image is present;
//   3. builtin         the built-in proxy (same Toxiproxy API, in this process), where none of these exists.
// GAMELAN_FAULT_PROXY=toxiproxy|testcontainers|builtin forces one (then its absence is an error, not a
// fallback). Every kind speaks Toxiproxy's HTTP API, so what drives it (NetworkFaults, `fault`) is the same.

export const FAULT_PROXY_ENV_VAR = 'GAMELAN_FAULT_PROXY';
export const FAULT_PROXY_KINDS = ['toxiproxy', 'testcontainers', 'builtin'] as const;
export type FaultProxyKind = (typeof FAULT_PROXY_KINDS)[number];

/** The kind GAMELAN_FAULT_PROXY forces, or undefined when unset or blank; any other value is an error naming it. */
export function faultProxyKindFromEnv(env: Env = process.env): FaultProxyKind | undefined {
  const value = env[FAULT_PROXY_ENV_VAR];
  if (value === undefined || value.trim() === '') return undefined;
  const kind = value.trim().toLowerCase();
  if ((FAULT_PROXY_KINDS as readonly string[]).includes(kind)) return kind as FaultProxyKind;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${FAULT_PROXY_ENV_VAR}=${JSON.stringify(value)} is not a fault proxy: use one of ${FAULT_PROXY_KINDS.join(', ')}, or unset it.`,
    {
      key: FAULT_PROXY_ENV_VAR,
      value,
    },
  );
}

/** The fault proxy that would be used, and why (one sentence); `none` only when a forced kind is missing. */
export type FaultProxyChoice =
  | { readonly kind: 'toxiproxy'; readonly source: ToxiproxySource; readonly why: string }
  | { readonly kind: 'testcontainers'; readonly why: string }
  | { readonly kind: 'builtin'; readonly why: string }
  | { readonly kind: 'none'; readonly reason: string };

function describeToxiproxy(source: ToxiproxySource): string {
  return source.kind === 'url'
    ? `Toxiproxy at TOXIPROXY_URL=${source.url}`
    : `${TOXIPROXY_BINARY} at ${source.path} (${source.from === 'PATH' ? 'on PATH' : 'installed by scripts/install-toxiproxy.sh'}), started per run on 127.0.0.1`;
}

/**
 * Choose the fault proxy (`kind` or GAMELAN_FAULT_PROXY forces one). Cheap when a Toxiproxy is found;
 * otherwise asks Docker (`docker info`, `docker image inspect`). Throws ConfigError/FaultError on a bad
 * GAMELAN_FAULT_PROXY or TOXIPROXY_URL (bad input).
 */
export async function chooseFaultProxy(env: Env = process.env, kind?: FaultProxyKind): Promise<FaultProxyChoice> {
  const forced = kind ?? faultProxyKindFromEnv(env);
  const by = kind ? `asked for ${kind}` : `${FAULT_PROXY_ENV_VAR}=${forced}`;
  const skipped: string[] = [];
  if (forced === undefined || forced === 'toxiproxy') {
    const found = findToxiproxy(env);
    if (found.kind !== 'none') return { kind: 'toxiproxy', source: found, why: forced ? by : 'the first choice' };
    if (forced) return { kind: 'none', reason: `${by}, but ${found.reason}` };
    skipped.push(found.reason);
  }
  if (forced === undefined || forced === 'testcontainers') {
    const { toxiproxyContainerUnavailable, TOXIPROXY_IMAGE } = await import('./toxiproxy-container.js');
    const why = await toxiproxyContainerUnavailable(env);
    if (!why)
      return {
        kind: 'testcontainers',
        why: forced
          ? `${by}; image ${TOXIPROXY_IMAGE}`
          : `Docker answers and ${TOXIPROXY_IMAGE} is present, while ${skipped[0]}`,
      };
    if (forced) return { kind: 'none', reason: `${by}, but the Toxiproxy container cannot run: ${why}` };
    skipped.push(`no Toxiproxy container: ${why}`);
  }
  return { kind: 'builtin', why: forced ? by : `the last resort, as ${skipped.join('; and ')}` };
}

/** For `doctor`: which fault proxy network faults would use and why, or why none can be had. */
export async function faultProxyDiagnosis(
  env: Env = process.env,
): Promise<{ kind: FaultProxyKind; description: string } | { kind: 'none'; reason: string }> {
  try {
    const choice = await chooseFaultProxy(env);
    switch (choice.kind) {
      case 'none':
        return choice;
      case 'toxiproxy':
        return { kind: 'toxiproxy', description: `${describeToxiproxy(choice.source)} (${choice.why})` };
      case 'testcontainers':
        return {
          kind: 'testcontainers',
          description: `Toxiproxy container through testcontainers, host network, 127.0.0.1 (${choice.why})`,
        };
      case 'builtin':
        return {
          kind: 'builtin',
          description: `the built-in proxy, Toxiproxy's API in this process on 127.0.0.1 (${choice.why})`,
        };
    }
  } catch (error) {
    return { kind: 'none', reason: (error as Error).message };
  }
}

/**
 * Start (or attach to) the fault proxy `chooseFaultProxy` names: a StartedToxiproxy whatever the kind.
 * Throws FaultError FAULT_PROXY_UNAVAILABLE with the reason when a forced kind cannot be had.
 */
export async function startToxiproxy(
  options: { readonly env?: Env; readonly timeoutMs?: number; readonly kind?: FaultProxyKind } = {},
): Promise<StartedToxiproxy> {
  const env = options.env ?? process.env;
  const choice = await chooseFaultProxy(env, options.kind);
  switch (choice.kind) {
    case 'none':
      throw new FaultError('FAULT_PROXY_UNAVAILABLE', choice.reason);
    case 'toxiproxy':
      return startToxiproxyServer(choice.source, options.timeoutMs);
    case 'testcontainers': {
      const { startToxiproxyContainer } = await import('./toxiproxy-container.js');
      return startToxiproxyContainer({
        env,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    }
    case 'builtin':
      return startBuiltinProxy();
  }
}

/** The built-in proxy on a free 127.0.0.1 port, stopped by stop() and the lifecycle registry (it dies with this process). */
export async function startBuiltinProxy(): Promise<StartedToxiproxy> {
  const server = await startBuiltinProxyServer();
  const unregister = registerCleanup({
    name: `built-in fault proxy on ${server.url}`,
    stop: () => stop(),
    killSync: () => {},
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await server.stop();
      unregister();
    })());
  const client = new Toxiproxy(server.url);
  return {
    url: server.url,
    source: { kind: 'builtin' },
    client,
    version: await serverVersion(client),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Whether `kind` can be had here, or why not (for tests that run once per kind). */
export async function faultProxyUnavailable(kind: FaultProxyKind, env: Env = process.env): Promise<string | undefined> {
  const choice = await chooseFaultProxy(env, kind);
  return choice.kind === 'none' ? choice.reason : undefined;
}

import { randomUUID } from 'node:crypto';
import type { StartedTestContainer } from 'testcontainers';
import { Toxiproxy } from 'toxiproxy-node-client';
import {
  configureRyuk,
  dockerEngineAnswers,
  HARNESS_LABEL,
  imagesPresent,
  removeSync,
  START_LABEL,
  startHarnessReaper,
} from '../brokers/docker.js';
import type { Env } from '../brokers/types.js';
import { FaultError } from '../errors.js';
import { registerCleanup } from '../lifecycle/index.js';
import { waitFor } from '../wait.js';
import { freeLoopbackPort, serverVersion, type StartedToxiproxy } from './toxiproxy-server.js';

// The fault proxy as a container, where Docker runs but no toxiproxy-server is on this host: the
// Toxiproxy image, started through testcontainers like the Kafka containers (labelled, watched by our
// reaper so even a kill -9 of the harness removes it, stopped by the lifecycle registry).
//
// Host networking, not published ports, because of what the proxy is for:
// - the native brokers listen on the host's 127.0.0.1 only, which a bridged container cannot reach;
// - a proxy listens inside the container while clients connect to a host-mapped port, so Toxiproxy's
//   `listen` would name an address no client can use, and the brokers would advertise that; published
//   ports are also fixed when the container is created, while NetworkFaults makes proxies as lanes come;
// - publishing would need every proxy port opened up front and bound to 127.0.0.1 by hand.
// With `--network host` the container's 127.0.0.1 is the host's: the API and every proxy listen on
// 127.0.0.1 (loopback only), `listen` is the address clients and advertised listeners use, and
// upstreams are the brokers' own 127.0.0.1 addresses. (So the engine must run on this machine:
// with DOCKER_HOST on another one, the API does not answer here and the start says so.)

/** Built locally by scripts/build-toxiproxy-image.sh from the static toxiproxy-server (no registry needed). */
export const TOXIPROXY_IMAGE = 'gamelan/toxiproxy:2.12.0';

/** Why the container fault proxy cannot run here (no engine, no image, with the fix), or undefined. */
export async function toxiproxyContainerUnavailable(env: Env = process.env): Promise<string | undefined> {
  const docker = await dockerEngineAnswers(env);
  if (!docker.answering) return `Docker: ${docker.detail}`;
  const present = await imagesPresent([TOXIPROXY_IMAGE], env);
  return present.length > 0
    ? undefined
    : `${docker.detail} answers, but image ${TOXIPROXY_IMAGE} is not present: run scripts/build-toxiproxy-image.sh (or scripts/container-setup.sh)`;
}

/** Run the Toxiproxy image (host networking, API on a free 127.0.0.1 port) and wait until its API answers. */
export async function startToxiproxyContainer(
  options: { readonly env?: Env; readonly timeoutMs?: number } = {},
): Promise<StartedToxiproxy> {
  const env = options.env ?? process.env;
  const why = await toxiproxyContainerUnavailable(env);
  if (why) throw new FaultError('FAULT_PROXY_UNAVAILABLE', `the Toxiproxy container cannot run: ${why}`);
  const { GenericContainer } = await import('testcontainers');
  const ryuk = await configureRyuk(env);
  const reaper = startHarnessReaper(env);
  const startId = randomUUID();
  let containerId: string | undefined;

  /** Learns the id as soon as the container exists, so the reaper and killSync cover a failed start too. */
  class WatchedContainer extends GenericContainer {
    protected override async containerCreated(id: string): Promise<void> {
      containerId = id;
      reaper.track('container', id);
    }
  }

  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  let started: StartedTestContainer | undefined;
  const killSync = () => {
    if (containerId) removeSync([containerId], [], env);
  };
  let stopping: Promise<void> | undefined;
  const unregister = registerCleanup({ name: `Toxiproxy container on ${url}`, stop: () => stop(), killSync });
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (started) await started.stop({ timeout: 0, remove: true, removeVolumes: true }).catch(killSync);
      else killSync();
      reaper.release();
      unregister();
    })());
  try {
    started = await new WatchedContainer(TOXIPROXY_IMAGE)
      .withName(`gamelan-toxiproxy-${startId.slice(0, 8)}`)
      .withNetworkMode('host')
      .withCommand(['-host', '127.0.0.1', '-port', String(port)])
      .withEnvironment({ LOG_LEVEL: 'warn' })
      .withLabels({
        [HARNESS_LABEL]: 'true',
        [START_LABEL]: startId,
        'gamelan.harness.role': 'fault-proxy',
        'gamelan.harness.ryuk': String(ryuk),
      })
      .start();
    const client = new Toxiproxy(url);
    const version = await waitFor(async () => serverVersion(client).catch(() => undefined), {
      timeoutMs: options.timeoutMs ?? 20_000,
      intervalMs: 50,
      description: `the Toxiproxy container (${TOXIPROXY_IMAGE}, host network) to answer on ${url}; is the Docker engine on another machine (DOCKER_HOST)? Its 127.0.0.1 must be this one's`,
    });
    return {
      url,
      source: { kind: 'testcontainers', image: TOXIPROXY_IMAGE, containerId: started.getId() },
      client,
      version,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    if (error instanceof FaultError) throw error;
    throw new FaultError(
      'FAULT_PROXY_UNAVAILABLE',
      `the Toxiproxy container (${TOXIPROXY_IMAGE}) did not start: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

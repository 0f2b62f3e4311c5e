import { spawn, spawnSync } from 'node:child_process';
import type { Env } from './types.js';

// The Docker engine as the container and compose providers see it: does it answer, which Kafka
// images are present (no registry is assumed: nothing is pulled), can Ryuk run, and a reaper of
// our own that removes what a start created when the harness dies, even by kill -9.

/** The pinned official image, used when present. */
export const OFFICIAL_KAFKA_IMAGE = 'apache/kafka:4.1.1';
/** Built locally by scripts/build-kafka-image.sh (no registry needed); same entrypoint conventions. */
export const LOCAL_KAFKA_IMAGE = 'gamelan/kafka-kraft:4.1.1';
/** Preference order for the default image: the official pin first. */
export const KAFKA_IMAGE_CANDIDATES = [OFFICIAL_KAFKA_IMAGE, LOCAL_KAFKA_IMAGE] as const;
/** The Ryuk image testcontainers-node 11 uses (RYUK_CONTAINER_IMAGE overrides it). */
export const RYUK_IMAGE = 'testcontainers/ryuk:0.14.0';
/** Label on every container and network a harness start creates: `docker ps -a --filter label=gamelan.harness`. */
export const HARNESS_LABEL = 'gamelan.harness';
/** Label naming one start, so a test or the reaper can find exactly what it created. */
export const START_LABEL = 'gamelan.harness.start';

/** Whether a Docker engine answers `docker info` within `timeoutMs` (a CLI alone is not enough). */
export async function dockerEngineAnswers(
  env: Env = process.env,
  timeoutMs = 3_000,
): Promise<{ answering: boolean; detail: string }> {
  try {
    const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
    const result = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], {
      reject: false,
      timeout: timeoutMs,
      all: true,
      stdin: 'ignore',
      env: { ...env },
      extendEnv: false,
    });
    if (result.exitCode === 0 && result.stdout.trim())
      return { answering: true, detail: `Docker engine ${result.stdout.trim()}` };
    if (result.timedOut) return { answering: false, detail: `docker info did not answer within ${timeoutMs} ms` };
    const why = (result.all ?? '').trim().split('\n').pop() ?? '';
    return { answering: false, detail: `no Docker engine answers${why ? ` (${why})` : ''}` };
  } catch {
    return { answering: false, detail: 'docker CLI not found' };
  }
}

/** Which of `images` the engine has locally (one `docker image inspect` each). */
export async function imagesPresent(images: readonly string[], env: Env = process.env): Promise<string[]> {
  const present = await Promise.all(
    images.map(async (image) => {
      const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
      const r = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
        reject: false,
        timeout: 5_000,
        stdin: 'ignore',
        env: { ...env },
        extendEnv: false,
      }).catch(() => undefined);
      return r?.exitCode === 0 ? image : undefined;
    }),
  );
  return present.filter((i): i is string => i !== undefined);
}

export interface KafkaImageChoice {
  /** The image to run, or undefined when none is present. */
  readonly image: string | undefined;
  readonly reason: string;
}

/** The image the container provider runs: `--image`/GAMELAN_KAFKA_IMAGE when given, else the first present candidate. */
export async function chooseKafkaImage(
  override: string | undefined,
  env: Env = process.env,
): Promise<KafkaImageChoice> {
  const wanted = override ?? env.GAMELAN_KAFKA_IMAGE;
  if (wanted) {
    const [present] = await imagesPresent([wanted], env);
    return present
      ? { image: present, reason: `${present} (${override ? '--image' : 'GAMELAN_KAFKA_IMAGE'})` }
      : {
          image: undefined,
          reason: `image ${wanted} is not present locally (the harness pulls nothing): \`docker pull ${wanted}\` or \`docker load\` it`,
        };
  }
  const [first] = await imagesPresent(KAFKA_IMAGE_CANDIDATES, env);
  return first
    ? {
        image: first,
        reason: `${first} (${first === OFFICIAL_KAFKA_IMAGE ? 'the pinned official image' : 'built by scripts/build-kafka-image.sh'})`,
      }
    : {
        image: undefined,
        reason: `no Kafka image present: \`docker pull ${OFFICIAL_KAFKA_IMAGE}\`, or without a registry run scripts/build-kafka-image.sh (builds ${LOCAL_KAFKA_IMAGE})`,
      };
}

/**
 * Ryuk needs its image; without a registry it cannot be pulled, and testcontainers would fail every
 * start trying. So: Ryuk runs when its image is present and the user did not disable it; otherwise
 * TESTCONTAINERS_RYUK_DISABLED=true is set for this process and our own reaper (below) covers the
 * same exits. Returns whether Ryuk is in use.
 */
export async function configureRyuk(env: Env = process.env): Promise<boolean> {
  // testcontainers reads process.env (not `env`) when it creates its reaper.
  if (env.TESTCONTAINERS_RYUK_DISABLED === 'true' || process.env.TESTCONTAINERS_RYUK_DISABLED === 'true') return false;
  const image = env.RYUK_CONTAINER_IMAGE ?? RYUK_IMAGE;
  const present = (await imagesPresent([image], env)).length > 0;
  if (!present) process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  return present;
}

/**
 * A reaper of our own, in the spirit of Ryuk but as a host process: a detached `sh` holding the
 * read end of a pipe whose write end only this process holds. It learns the containers and
 * networks to remove as they are created; when the harness stops cleanly it is told `done` and
 * exits; when the harness dies any other way (crash, SIGKILL) the kernel closes the pipe, `read`
 * sees end-of-file, and the reaper runs `docker rm -f -v` / `docker network rm` on them.
 */
export interface HarnessReaper {
  track(kind: 'container' | 'network', id: string): void;
  /** Everything tracked has been removed by the harness: let the reaper exit without acting. */
  release(): void;
  readonly pid: number | undefined;
}

const REAPER_SCRIPT = `
ids=""; nets=""
while IFS= read -r line; do
  case "$line" in
    "c "*) ids="$ids \${line#c }" ;;
    "n "*) nets="$nets \${line#n }" ;;
    done) exit 0 ;;
  esac
done
[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
[ -n "$nets" ] && docker network rm $nets >/dev/null 2>&1
exit 0
`;

export function startHarnessReaper(env: Env = process.env): HarnessReaper {
  const child = spawn('sh', ['-c', REAPER_SCRIPT], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...env },
  });
  child.on('error', () => {}); // no sh: the lifecycle registry still covers graceful exits
  child.unref();
  // The pipe must not keep the harness alive; it only has to stay open while the harness lives.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin?.on('error', () => {});
  let released = false;
  return {
    pid: child.pid,
    track(kind, id) {
      if (!released) child.stdin?.write(`${kind === 'container' ? 'c' : 'n'} ${id}\n`);
    },
    release() {
      if (released) return;
      released = true;
      child.stdin?.end('done\n');
    },
  };
}

/** Synchronous last resort for the lifecycle registry's 'exit' hook: remove containers, then networks. */
export function removeSync(containers: readonly string[], networks: readonly string[], env: Env = process.env): void {
  if (containers.length > 0)
    spawnSync('docker', ['rm', '-f', '-v', ...containers], { stdio: 'ignore', timeout: 20_000, env: { ...env } });
  if (networks.length > 0)
    spawnSync('docker', ['network', 'rm', ...networks], { stdio: 'ignore', timeout: 10_000, env: { ...env } });
}

/** Ids of containers (running or not) carrying `label` (`key` or `key=value`). */
export async function containersWithLabel(label: string, env: Env = process.env): Promise<string[]> {
  const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
  const r = await execa('docker', ['ps', '-aq', '--filter', `label=${label}`], {
    reject: false,
    timeout: 10_000,
    stdin: 'ignore',
    env: { ...env },
    extendEnv: false,
  });
  return r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

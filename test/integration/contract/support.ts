import { execFile, execFileSync } from 'node:child_process';
import { type CliResult, repoRoot as root, runCli } from '../../support/cli.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export { type CliResult, root };

/** `gamelan-harness contract …` as a child process (as users and CI run it), on the broker the test names. */
export function contractCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeout = 240_000,
): Promise<CliResult> {
  return runCli(['contract', ...args], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GAMELAN_TEST_KAFKA: undefined, ...env },
    timeoutMs: timeout,
  });
}

/** Processes whose command line is exactly `args` (to prove nothing was left behind). */
export function processesWithArgs(args: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null && m[2] === args)
    .map((m) => Number(m[1]));
}

/** Why the Java examples cannot be built or run here (printed by the skip), or undefined. */
export function javaUnavailable(): string | undefined {
  for (const [tool, flag] of [
    ['java', '-version'],
    ['mvn', '-v'],
  ] as const) {
    try {
      execFileSync(tool, [flag], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (the Java example executors need a JDK 17+ and Maven)`;
    }
  }
  return undefined;
}

/** Build examples/<name> once with `mvn -q -B package` unless its jar is there; returns the jar and the build time (0 when cached). */
export async function buildExample(name: string): Promise<{ jar: string; buildMs: number }> {
  const dir = path.join(root, 'examples', name);
  const jar = path.join(dir, 'target', `${name}.jar`);
  if (existsSync(jar) && !newerThan(dir, statSync(jar).mtimeMs)) return { jar, buildMs: 0 };
  const t0 = Date.now();
  await run('mvn', ['-q', '-B', 'package'], { cwd: dir, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  return { jar, buildMs: Date.now() - t0 };
}

/** Whether pom.xml or a file under src/ changed after `mtimeMs` (the cached jar is stale). */
function newerThan(dir: string, mtimeMs: number): boolean {
  const files = [
    path.join(dir, 'pom.xml'),
    ...(readdirSync(path.join(dir, 'src'), { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name)),
  ];
  return files.some((file) => statSync(file).mtimeMs > mtimeMs);
}

/** Whether a pid is a live process (a zombie waiting for init to reap it is not). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Poll until the pid has ended (killed processes take a moment to be reaped); false if it still runs after `ms`. */
export async function endsWithin(pid: number, ms = 3_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

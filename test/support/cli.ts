import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// The harness's CLI as a child process from the sources (tsx), as the integration tests drive it: exit code,
// stdout and stderr, never a throw for a non-zero exit.

const execFileAsync = promisify(execFile);
export const repoRoot = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds the command took (for the logs of long runs). */
  readonly ms: number;
}

export async function runCli(
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {},
): Promise<CliResult> {
  const t0 = Date.now();
  try {
    const { stdout, stderr } = await execFileAsync(tsx, ['harness/cli/main.ts', ...args], {
      cwd: repoRoot,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
      env: options.env ?? { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr, ms: Date.now() - t0 };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
      ms: Date.now() - t0,
    };
  }
}

/** The JSON lines a command printed with `--json` (one record per line), parsed. */
export const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

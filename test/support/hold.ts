import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A harness-like child process that printed its state as a JSON line and is still running. */
export type Held<T> = T & {
  /** Exit code, or -1 when a signal ended it. */
  readonly exited: Promise<number | null>;
};

/**
 * Run a TypeScript script (node --import tsx, so signals reach it directly, not an npx wrapper)
 * and resolve with the first JSON line it prints; reject if it exits before that.
 */
export function holdScript<T>(script: string, args: readonly string[] = []): Promise<Held<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ ...(JSON.parse(line) as T), exited });
    });
    void exited.then((code) => reject(new Error(`${script} exited (${String(code)}) before printing its state`)));
  });
}

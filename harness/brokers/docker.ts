import { execa } from 'execa';
import type { Env } from './native/cache.js';

/** Whether a Docker engine answers `docker info` within `timeoutMs` (a CLI alone is not enough). */
export async function dockerEngineAnswers(env: Env = process.env, timeoutMs = 3_000): Promise<{ answering: boolean; detail: string }> {
  try {
    const result = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: timeoutMs, all: true, stdin: 'ignore', env: { ...env }, extendEnv: false });
    if (result.exitCode === 0 && result.stdout.trim()) return { answering: true, detail: `Docker engine ${result.stdout.trim()}` };
    if (result.timedOut) return { answering: false, detail: `docker info did not answer within ${timeoutMs} ms` };
    const why = (result.all ?? '').trim().split('\n').pop() ?? '';
    return { answering: false, detail: `no Docker engine answers${why ? ` (${why})` : ''}` };
  } catch {
    return { answering: false, detail: 'docker CLI not found' };
  }
}

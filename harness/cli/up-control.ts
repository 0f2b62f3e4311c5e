import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultError } from '../errors.js';
import { isSameProcess, notAHarnessUp } from './process-identity.js';
import type { UpState } from './state.js';

// Asking a running `up` to do what only it can: restart a broker node whose JVM and log directory it owns, and
// any fault on container nodes (its Docker client holds them).
// No listener (loopback-only stays trivially true, nothing to authenticate): the request is a file in a
// directory beside the state file (mode 0700, the user's own), and SIGUSR2 to the proven `up` process says
// "look". `up` answers with a response file of the same id. Requests are JSON; nothing secret goes in them.

export interface UpRequest {
  readonly kind: 'kill' | 'pause' | 'resume' | 'restart';
  readonly nodeId: number;
}

export interface UpResponse {
  readonly ok: boolean;
  readonly message: string;
  readonly ms: number;
}

/** The directory requests and responses pass through, beside the state file. */
export function controlDirOf(stateFile: string): string {
  return `${stateFile.replace(/\.json$/, '')}.control`;
}

const requestFile = (dir: string, id: string) => path.join(dir, `${id}.request.json`);
const responseFile = (dir: string, id: string) => path.join(dir, `${id}.response.json`);

function writeAtomically(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  renameSync(tmp, file); // the reader never sees half a file
}

/**
 * Serve requests in `up`: on SIGUSR2 each waiting request is handled once, in arrival order, and answered.
 * Returns the function that stops serving (removes the directory and the signal handler).
 */
export function serveUpControl(stateFile: string, handle: (request: UpRequest) => Promise<string>): () => void {
  const dir = controlDirOf(stateFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let queue = Promise.resolve();
  const drain = async () => {
    const ids = readdirSync(dir)
      .filter((f) => f.endsWith('.request.json'))
      .map((f) => f.slice(0, -'.request.json'.length));
    for (const id of ids) {
      const t0 = Date.now();
      let request: UpRequest;
      try {
        request = JSON.parse(readFileSync(requestFile(dir, id), 'utf8')) as UpRequest;
        rmSync(requestFile(dir, id), { force: true });
      } catch {
        continue; // taken already, or half gone: its sender times out and says so
      }
      let response: UpResponse;
      try {
        response = { ok: true, message: await handle(request), ms: Date.now() - t0 };
      } catch (error) {
        response = { ok: false, message: (error as Error).message, ms: Date.now() - t0 };
      }
      writeAtomically(responseFile(dir, id), response);
    }
  };
  const onSignal = () => {
    queue = queue.then(drain, drain);
  };
  process.on('SIGUSR2', onSignal);
  return () => {
    process.off('SIGUSR2', onSignal);
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Send a request to the `up` of `state` and wait for its answer; a FaultError when it cannot be asked or says no. */
export async function requestUp(
  stateFile: string,
  state: UpState,
  request: UpRequest,
  timeoutMs = 120_000,
): Promise<UpResponse> {
  // SIGUSR2 ends a process that does not handle it: only a proven harness is signalled.
  const why =
    state.process && isSameProcess(state.process)
      ? notAHarnessUp(state.pid, state.token)
      : 'it is not the process `up` recorded';
  if (!state.process || why !== undefined) {
    throw new FaultError(
      'FAULT_TARGET_UNKNOWN',
      `the harness of ${stateFile} (pid ${state.pid}) cannot be proven to be \`up\` (${why}); nothing was asked.`,
      { value: stateFile },
    );
  }
  const dir = controlDirOf(stateFile);
  const id = randomUUID();
  try {
    writeAtomically(requestFile(dir, id), request);
  } catch (cause) {
    throw new FaultError(
      'FAULT_TARGET_UNKNOWN',
      `the harness of ${stateFile} (pid ${state.pid}) takes no requests (${(cause as Error).message}); it was started by an older \`up\`: restart it with \`gamelan-harness down\` and \`up --detach --fault-proxy\`.`,
      { value: stateFile },
      { cause },
    );
  }
  process.kill(state.pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = JSON.parse(readFileSync(responseFile(dir, id), 'utf8')) as UpResponse;
      rmSync(responseFile(dir, id), { force: true });
      if (!response.ok) throw new FaultError('FAULT_FAILED', response.message, { value: request.nodeId });
      return response;
    } catch (error) {
      if (error instanceof FaultError) throw error;
    }
    if (!isSameProcess(state.process))
      throw new FaultError(
        'FAULT_FAILED',
        `the harness (pid ${state.pid}) exited before it answered the ${request.kind} of broker ${request.nodeId}.`,
        { value: request.nodeId },
      );
    await sleep(100);
  }
  rmSync(requestFile(dir, id), { force: true });
  throw new FaultError(
    'FAULT_FAILED',
    `the harness (pid ${state.pid}) did not answer the ${request.kind} of broker ${request.nodeId} within ${timeoutMs / 1000} s; see its log beside ${stateFile}.`,
    { value: request.nodeId },
  );
}

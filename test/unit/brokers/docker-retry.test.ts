import { describe, expect, it } from 'vitest';
import { isTransientDockerError, retryTransient } from '../../../harness/brokers/container/node-faults.js';

// Container broker faults retry a Docker API call when the engine's socket drops (one chaos run on containers
// failed a kill with `write EPIPE`), and only then: Docker's own answers (404, 409, …) are never retried.

const socketError = (code: string) => Object.assign(new Error(`write ${code}`), { code, syscall: 'write' });
const dockerAnswer = (statusCode: number) => Object.assign(new Error(`(HTTP code ${statusCode})`), { statusCode });

/** A call failing with each of `errors` in turn, then answering 'done'; counts its tries. */
function failingThen(...errors: Error[]) {
  let tries = 0;
  const call = async () => {
    const error = errors[tries++];
    if (error) throw error;
    return 'done';
  };
  return { call, tries: () => tries };
}

describe('isTransientDockerError', () => {
  it.each(['EPIPE', 'ECONNRESET'])('%s is a dropped socket: worth another try', (code) => {
    expect(isTransientDockerError(socketError(code))).toBe(true);
  });

  it('looks through wrapping causes', () => {
    expect(isTransientDockerError(new Error('request failed', { cause: socketError('EPIPE') }))).toBe(true);
  });

  it.each([
    ['a 409 conflict', dockerAnswer(409)],
    ['a 404', dockerAnswer(404)],
    ['ENOENT (no engine socket at all)', socketError('ENOENT')],
    ['ECONNREFUSED (engine not running)', socketError('ECONNREFUSED')],
    ['a plain error', new Error('boom')],
    ['undefined', undefined],
  ])('%s is not', (_, error) => {
    expect(isTransientDockerError(error)).toBe(false);
  });
});

describe('retryTransient', () => {
  const quick = { delaysMs: [0, 0] };

  it('answers after one or two dropped sockets', async () => {
    const once = failingThen(socketError('EPIPE'));
    await expect(retryTransient(once.call, quick)).resolves.toBe('done');
    expect(once.tries()).toBe(2);
    const twice = failingThen(socketError('ECONNRESET'), socketError('EPIPE'));
    await expect(retryTransient(twice.call, quick)).resolves.toBe('done');
    expect(twice.tries()).toBe(3);
  });

  it('gives up after the last retry with the last error', async () => {
    const always = failingThen(socketError('EPIPE'), socketError('EPIPE'), socketError('ECONNRESET'));
    await expect(retryTransient(always.call, quick)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(always.tries()).toBe(3);
  });

  it("does not retry Docker's own answer", async () => {
    const conflict = failingThen(dockerAnswer(409));
    await expect(retryTransient(conflict.call, quick)).rejects.toMatchObject({ statusCode: 409 });
    expect(conflict.tries()).toBe(1);
  });

  it('retries as many times as delays are given', async () => {
    const twice = failingThen(socketError('EPIPE'), socketError('EPIPE'));
    await expect(retryTransient(twice.call, { delaysMs: [0] })).rejects.toMatchObject({ code: 'EPIPE' });
    expect(twice.tries()).toBe(2);
  });
});

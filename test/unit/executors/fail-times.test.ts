import { describe, expect, it } from 'vitest';
import { behaviours, type HandlerContext } from '../../../harness/executors/handler.js';
import type { TaskMessage } from '../../../harness/protocol/index.js';

// behaviours.failTimes remembers run nodes to count their attempts: a bounded number of them, so a long load
// with `--behaviour fail-times:<n>` does not grow it for ever.

const context: HandlerContext = { executorId: 'x-1', executorType: 'x', signal: new AbortController().signal };
const task = (runId: string) => ({ runId, nodeId: 'n', attempt: 1 }) as TaskMessage;

describe('behaviours.failTimes', () => {
  it('fails the first attempts of each run node, then succeeds', async () => {
    const handler = behaviours.failTimes(2);
    expect(() => handler(task('a'), context)).toThrow(/planned failure 1 of 2 for a:n/);
    expect(() => handler(task('a'), context)).toThrow(/planned failure 2 of 2 for a:n/);
    expect(await handler(task('a'), context)).toMatchObject({ ok: true });
    expect(() => handler(task('b'), context)).toThrow(/planned failure 1 of 2 for b:n/);
  });

  it('remembers the latest 100,000 run nodes: the oldest is forgotten, a recently seen one is not', async () => {
    const handler = behaviours.failTimes(1);
    const attempt = (runId: string) => {
      try {
        handler(task(runId), context);
        return 'ok';
      } catch {
        return 'failed';
      }
    };
    expect([attempt('old'), attempt('recent')]).toEqual(['failed', 'failed']);
    for (let i = 0; i < 99_998; i++) attempt(`run-${i}`);
    expect(attempt('recent')).toBe('ok'); // seen again: now the latest
    attempt('one-more'); // 100,001 run nodes: 'old' goes
    expect(attempt('old')).toBe('failed');
    expect(attempt('recent')).toBe('ok');
  });
});

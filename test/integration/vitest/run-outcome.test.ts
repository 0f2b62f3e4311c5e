import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../harness/vitest/index.js';
import {
  type FakeEngine,
  runCompleted,
  startStack,
  type FlowRecorder,
  type StartedStack,
} from '../../../harness/index.js';
import { openWorkspace, type Workspace } from '../../../harness/workspace/index.js';
import { testBrokerKind } from '../../support/broker.js';

// Issue #21: a run whose handler threw on every attempt ended RUN_FAILED after 2 s, but runCompleted waited its
// full 30 s and listed event names only. A completion check on a failed run answers as soon as the run ended,
// with the handler's error text. The bound on the elapsed time is the point of the test.
const HANDLER_ERROR = 'then is not a function';
let stack: StartedStack;
let workspace: Workspace | undefined;
let recorder: FlowRecorder;
let engine: FakeEngine;

beforeAll(async () => {
  stack = await startStack({ kafka: await testBrokerKind() });
  workspace = await openWorkspace(stack.broker, stack.config.gamelan, {
    name: 'outcome',
    clientId: 'run-outcome-test',
    overrides: { dlq: { maxRetries: 1, backoffMs: 100 } },
  });
  recorder = await workspace.startRecorder();
  engine = await workspace.startEngine();
  await workspace.startExecutor({
    executorType: 'import-executor',
    handler: () => {
      throw new TypeError(HANDLER_ERROR);
    },
  });
}, 120_000);

afterAll(async () => {
  await workspace?.stop();
  await stack?.stop();
});

async function failingRun(): Promise<string> {
  return (await engine.startRun('bulk-import', { tenantId: 'acme' })).runId;
}

describe('a completion check on a run whose handler always throws', () => {
  it('runCompleted fails within seconds (timeout 30 s) with the node, attempt, error text and dead letter', async () => {
    const runId = await failingRun();
    const started = Date.now();
    const result = await runCompleted(recorder, runId, { timeoutMs: 30_000 });
    const elapsed = Date.now() - started;
    expect(result.pass).toBe(false);
    expect(elapsed).toBeLessThan(10_000);
    const message = result.message();
    expect(message).toMatch(new RegExp(`expected run ${runId} to be COMPLETED, but it ended FAILED`));
    expect(message).toMatch(
      /last failure: node import, attempt 2: .*then is not a function; dead-lettered to \S+ partition \d+ offset \d+ \(HANDLER_FAILED\)/,
    );
  });

  it('toHaveCompletedRun rejects just as fast with the same cause; toHaveFailedRun passes', async () => {
    const runId = await failingRun();
    const started = Date.now();
    await expect(expect(recorder).toHaveCompletedRun(runId, { timeoutMs: 30_000 })).rejects.toThrow(
      /ended FAILED; last failure: node import, attempt 2: .*then is not a function/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(recorder).toHaveFailedRun(runId);
  });
});

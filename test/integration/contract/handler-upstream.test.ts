import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { readConfig } from '../../../harness/config/index.js';
import { checkHandlerContract } from '../../../harness/contract/handler.js';
import { behaviours, type TaskHandler } from '../../../harness/executors/handler.js';
import { describeExecutorContract } from '../../../harness/vitest/contract.js';
import { startTestBroker } from '../../support/broker.js';

// A TypeScript handler checked in the upstream dialect: the fake executor reads the tasks as KafkaTaskProducer
// writes them and answers as the Java engine reads results (COMPLETED/FAILED, executionToken, error strings).
let broker: StartedBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.stop();
});

const type = 'payment-processor';
const charge: TaskHandler = (task) => {
  const amount = task.context?.amount;
  if (typeof amount !== 'number') throw new Error('context.amount is missing');
  return { transactionId: `tx-${task.taskId}`, amount };
};
const upstream = {
  dialect: 'upstream',
  config: readConfig(undefined, { dialect: 'upstream' }).gamelan,
  fakerCount: 2,
  settleMs: 500,
} as const;

describe('checkHandlerContract in upstream', () => {
  it('a good handler passes every case; the run uses the upstream topics and reports its dialect', async () => {
    const report = await checkHandlerContract({ broker, executorType: type, handler: charge, ...upstream });
    expect(report.violations).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.dialect).toBe('upstream');
    expect(report.topics.tasks).toMatch(/\.workflow-tasks$/);
    expect(report.compatNotes).toEqual([]);
  });

  it('a result without its executionToken is named as the Java engine would drop it', async () => {
    const report = await checkHandlerContract({
      broker,
      executorType: type,
      handler: behaviours.breakContract('missing-token'),
      ...upstream,
      golden: false,
    });
    expect(new Set(report.violations.map((v) => v.rule))).toEqual(new Set(['echo-token']));
    expect(report.violations[0]!.message).toMatch(
      /^executionToken: missing field; the result must echo the task's token as "executionToken"/,
    );
  });
});

describeExecutorContract('the vitest kit in upstream', {
  broker: () => broker,
  executorType: type,
  handler: charge,
  ...upstream,
});

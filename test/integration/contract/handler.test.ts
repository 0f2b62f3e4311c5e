import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { checkHandlerContract } from '../../../harness/contract/handler.js';
import { behaviours, type TaskHandler } from '../../../harness/executors/handler.js';
import { describeExecutorContract } from '../../../harness/vitest/contract.js';
import { startTestBroker } from '../../support/broker.js';

// The TypeScript API: a handler run behind the real protocol (FakeExecutor) on a real broker, checked
// case by case from the results topic.
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
const fast = { fakerCount: 2, settleMs: 500 } as const;

describe('checkHandlerContract', () => {
  it('a good handler (failures thrown become FAILURE with error info) passes every case', async () => {
    const report = await checkHandlerContract({
      broker,
      executorType: type,
      handler: charge,
      ...fast,
      tasks: [
        {
          name: 'big-amount',
          task: {
            runId: 'run-big',
            nodeId: 'charge',
            attempt: 1,
            taskId: 'run-big:charge:1',
            token: 'tok-0123456789',
            context: { amount: 1e9 },
            createdAt: '2024-05-01T10:00:00Z',
          },
        },
      ],
    });
    expect(report.violations).toEqual([]);
    expect(report.cases.map((c) => c.name)).toContain('author/big-amount');
    expect(report.failed).toBe(0);
  });

  it("strict: true (the API of --strict): the harness's own executor dead-letters every unreadable record, so nothing is dropped", async () => {
    const report = await checkHandlerContract({
      broker,
      executorType: type,
      handler: charge,
      ...fast,
      golden: false,
      strict: true,
    });
    expect(report.strict).toBe(true);
    expect(report.failed).toBe(0);
    expect(report.warnings).toEqual([]);
    expect(report.poisonRecords.map((p) => [p.name, p.fate])).toEqual([
      ['not-json', 'dead-lettered'],
      ['not-a-task', 'dead-lettered'],
      ['tombstone', 'dead-lettered'],
    ]);
    // Each names the record it dead-letters by topic, partition and offset (Spring's kafka_dlt-* headers).
    expect(
      report.poisonRecords.every(
        (p) => p.topic === report.topics.tasks && p.detail.includes('(Spring kafka_dlt-* headers)'),
      ),
    ).toBe(true);
    expect(new Set(report.poisonRecords.map((p) => p.offset)).size).toBe(3);
  });

  it('a handler whose results are keyed by taskId fails result-key on every answered case', async () => {
    const report = await checkHandlerContract({
      broker,
      executorType: type,
      handler: behaviours.breakContract('wrong-key'),
      ...fast,
      golden: false,
    });
    expect(new Set(report.violations.map((v) => v.rule))).toEqual(new Set(['result-key']));
    expect(report.cases.filter((c) => c.status === 'failed').map((c) => c.name)).toEqual([
      'poison/before-task',
      'redelivery/same-attempt',
      'faker/seed-1',
      'faker/seed-2',
    ]);
  });

  it('a missing token and a made-up status are named with their values', async () => {
    const missing = await checkHandlerContract({
      broker,
      executorType: type,
      handler: behaviours.breakContract('missing-token'),
      ...fast,
      golden: false,
      robustness: false,
    });
    expect(missing.violations[0]).toMatchObject({
      rule: 'echo-token',
      case: 'faker/seed-1',
      message: expect.stringContaining('token: missing field'),
    });
    const status = await checkHandlerContract({
      broker,
      executorType: type,
      handler: behaviours.breakContract('bad-status'),
      ...fast,
      golden: false,
      robustness: false,
    });
    expect(status.violations[0]).toMatchObject({ rule: 'status-allowed', value: 'DONE' });
  });

  it('an output that is not JSON-serialisable, and an answer that changes on redelivery', async () => {
    let calls = 0;
    const report = await checkHandlerContract({
      broker,
      executorType: type,
      handler: (task) => (task.nodeId === 'charge-card' ? { at: new Date(0) } : { call: ++calls }),
      ...fast,
    });
    expect(report.violations.find((v) => v.rule === 'output-json')).toMatchObject({
      case: 'golden/full',
      message: expect.stringContaining('at $.at: a Date instance is not plain JSON'),
    });
    expect(report.violations.find((v) => v.rule === 'redelivery-consistent')).toMatchObject({
      case: 'redelivery/same-attempt',
      message: expect.stringMatching(/different output: \{"call":\d+\} then \{"call":\d+\}/),
    });
  });
});

// The vitest helper as executor authors use it: one test per contract case.
describeExecutorContract('describeExecutorContract with a good handler', {
  broker: () => broker,
  executorType: type,
  handler: charge,
  ...fast,
});

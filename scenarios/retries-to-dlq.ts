import {
  behaviours,
  deadLettered,
  defineScenario,
  everyMessageMatchesSchema,
  retriedTimes,
  runCompleted,
  runFailed,
} from 'gamelan-kafka-harness';
import { attemptGaps } from 'gamelan-kafka-harness/report';
import { chargeCard } from 'gamelan-kafka-harness/mocks';

const succeed = behaviours.succeed();

export default defineScenario({
  name: 'retries-to-dlq',
  description:
    'A payment handler whose gateway always answers 5xx is attempted max-retries+1 times with growing gaps, then dead-lettered and the run FAILED; ' +
    'one whose gateway fails twice completes on its third attempt.',
  config: { dlq: { maxRetries: 3, backoffMs: 200, backoffMultiplier: 2, maxBackoffMs: 5_000 } },
  timeoutMs: 60_000,
  async run(ctx) {
    const { recorder, mocks, config, faker } = ctx;
    const engine = await ctx.step('start the engine', () => ctx.startEngine());
    await ctx.step('start one executor per type (per-type groups)', () =>
      Promise.all([
        ctx.startExecutor({
          executorType: 'validation-executor',
          groupId: `${ctx.prefix}.validation-executors`,
          handler: succeed,
        }),
        ctx.startExecutor({
          executorType: 'payment-processor',
          groupId: `${ctx.prefix}.payment-executors`,
          handler: async (task) => ({
            transactionId: await chargeCard(Number((task.context as { amount?: number }).amount ?? 10)),
          }),
        }),
        ctx.startExecutor({
          executorType: 'notification-executor',
          groupId: `${ctx.prefix}.notification-executors`,
          handler: succeed,
        }),
      ]),
    );

    const failing = await ctx.step('gateway always 5xx: the run fails after max-retries+1 attempts', async () => {
      mocks.paymentGateway.fail('server-error');
      const run = await engine.startRun('payment-linear', {
        tenantId: faker.company.buzzNoun(),
        context: { amount: faker.number.float({ min: 5, max: 500, fractionDigits: 2 }) },
      });
      await engine.waitForRun(run.runId, 30_000);
      await ctx.check(runFailed(recorder, run.runId));
      return run;
    });

    await ctx.step('exactly 4 attempts with growing gaps of at least the configured backoff', async () => {
      await ctx.check(
        retriedTimes(recorder, {
          runId: failing.runId,
          nodeId: 'charge',
          retries: config.dlq.maxRetries,
          dlq: config.dlq,
        }),
      );
      const { gapsMs } = attemptGaps(recorder, failing.runId, 'charge');
      ctx.measure('retry gaps (ms)', gapsMs);
      // Each gap is at least its configured backoff (retriedTimes above). Neighbouring gaps differ by only
      // 200-400 ms of backoff, which a loaded machine's scheduling can swallow; first to last differs by 600 ms.
      if (!(gapsMs.at(-1)! > gapsMs[0]!))
        throw new Error(`gaps do not grow from first to last: ${JSON.stringify(gapsMs)}`);
    });

    await ctx.step('the task is in the dead-letter queue with its reason', () =>
      ctx.check(
        deadLettered(
          recorder,
          { runId: failing.runId, nodeId: 'charge', attempt: 4 },
          { reason: /payment gateway answered 503/ },
        ),
      ),
    );

    await ctx.step('gateway fails twice: the run completes on the third attempt', async () => {
      mocks.paymentGateway.fail('server-error', 2);
      const run = await engine.startRun('payment-linear', {
        tenantId: faker.company.buzzNoun(),
        context: { amount: 42.5 },
      });
      await engine.waitForRun(run.runId, 30_000);
      await ctx.check(runCompleted(recorder, run.runId));
      await ctx.check(retriedTimes(recorder, { runId: run.runId, nodeId: 'charge', retries: 2, dlq: config.dlq }));
    });

    await ctx.step('every message matches its schema', () => ctx.check(everyMessageMatchesSchema(recorder)));
  },
});

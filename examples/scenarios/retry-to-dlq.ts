import {
  behaviours,
  deadLettered,
  defineScenario,
  retriedTimes,
  runFailed,
  type TaskHandler,
} from 'gamelan-kafka-harness';
import { chargeCard } from 'gamelan-kafka-harness/mocks';

// The payment handler calls the payment gateway over HTTP; in a scenario that gateway is an msw mock (ctx.mocks).
const charge: TaskHandler = async (task) => ({ transactionId: await chargeCard(Number(task.context?.amount ?? 10)) });

export default defineScenario({
  name: 'example-retry-to-dlq',
  description:
    'The payment gateway answers 503 every time: the charge is retried max-retries times with the backoff, then dead-lettered, and the run fails.',
  config: { dlq: { maxRetries: 2, backoffMs: 100 } },
  timeoutMs: 60_000,
  async run(ctx) {
    const { recorder, mocks, config } = ctx;
    // payment-linear is validate → charge → notify. One group per executor type, so each type reads all its tasks.
    const engine = await ctx.step('start the executors of the payment workflow and the engine', async () => {
      await ctx.startExecutor({
        executorType: 'validation-executor',
        groupId: ctx.groupId('validation'),
        handler: behaviours.succeed(),
      });
      await ctx.startExecutor({ executorType: 'payment-processor', groupId: ctx.groupId('payments'), handler: charge });
      await ctx.startExecutor({
        executorType: 'notification-executor',
        groupId: ctx.groupId('notifications'),
        handler: behaviours.succeed(),
      });
      return ctx.startEngine();
    });

    const { runId } = await ctx.step('the gateway fails every call; start a payment', () => {
      mocks.paymentGateway.fail('server-error');
      return engine.startRun('payment-linear', { tenantId: 'acme', context: { amount: 42.5 } });
    });

    await ctx.step('the run fails', () => ctx.check(runFailed(recorder, runId, { timeoutMs: 30_000 })));
    await ctx.step('the charge was retried max-retries times, each gap at least the backoff', () =>
      ctx.check(retriedTimes(recorder, { runId, nodeId: 'charge', retries: config.dlq.maxRetries, dlq: config.dlq })),
    );
    await ctx.step('the last attempt is in the dead-letter queue with its reason', () =>
      ctx.check(
        deadLettered(recorder, { runId, nodeId: 'charge', attempt: config.dlq.maxRetries + 1 }, { reason: /503/ }),
      ),
    );
    ctx.measure('gateway calls', mocks.paymentGateway.state.calls);
  },
});

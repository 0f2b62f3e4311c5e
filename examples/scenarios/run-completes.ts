import { behaviours, defineScenario, havePublished, runCompleted } from 'gamelan-kafka-harness';

export default defineScenario({
  name: 'example-run-completes',
  description:
    'One bulk-import run completes on one fake executor, and its result is on the results topic, keyed by run.',
  async run(ctx) {
    const engine = await ctx.step('start one import executor and the engine', async () => {
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed({ imported: true }) });
      return ctx.startEngine();
    });

    const { runId } = await ctx.step('start a run', () =>
      engine.startRun('bulk-import', { tenantId: 'acme', context: { row: ctx.faker.number.int({ max: 100 }) } }),
    );

    await ctx.step('the run completes', () => ctx.check(runCompleted(ctx.recorder, runId)));
    await ctx.step('its result is published, keyed by run', () =>
      ctx.check(
        havePublished(
          ctx.recorder,
          'results',
          { runId, status: 'SUCCESS', output: { imported: true } },
          { key: runId },
        ),
      ),
    );
  },
});

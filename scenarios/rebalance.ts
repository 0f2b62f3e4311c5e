import { behaviours, defineScenario, noTaskLostOrDuplicated, rebalancedTo, runCompleted } from '../harness/index.js';

const RUNS = 30;

export default defineScenario({
  name: 'rebalance',
  description:
    'Two executors share the tasks; a third joins mid-run and the partitions are redistributed (each owned once); ' +
    'then one crashes mid-task and its partitions move; no task lost, none completed twice, every run completes.',
  timeoutMs: 90_000,
  async run(ctx) {
    const { recorder, config, faker, topics } = ctx;
    const group = config.consumer.groupId;
    const engine = await ctx.step('start the engine', () => ctx.startEngine());
    const handler = behaviours.slow(60);
    const [, second] = await ctx.step('two executors join gamelan-executors', async () => {
      const executors = [await ctx.startExecutor({ executorType: 'import-executor', handler }), await ctx.startExecutor({ executorType: 'import-executor', handler })] as const;
      await ctx.check(rebalancedTo(recorder, group, 2, topics.tasks, config.partitions, { timeoutMs: 20_000 }));
      return executors;
    });

    const runs = await ctx.step(`start ${RUNS} runs across tenants`, async () => {
      const started = [];
      for (let i = 0; i < RUNS; i++) {
        started.push(await engine.startRun('bulk-import', { tenantId: `tenant-${faker.number.int({ min: 1, max: 4 })}`, context: { record: faker.string.uuid() } }));
      }
      return started;
    });

    await ctx.step('a third executor joins mid-run: each partition owned by exactly one of three', async () => {
      const t0 = Date.now();
      await ctx.startExecutor({ executorType: 'import-executor', handler });
      await ctx.check(rebalancedTo(recorder, group, 3, topics.tasks, config.partitions, { timeoutMs: 30_000 }));
      ctx.measure('rebalance to 3 members (ms)', Date.now() - t0);
    });

    await ctx.step('one executor crashes mid-task: its partitions move to the two left', async () => {
      const t0 = Date.now();
      await second.crash();
      await ctx.check(rebalancedTo(recorder, group, 2, topics.tasks, config.partitions, { timeoutMs: 30_000 }));
      ctx.measure('rebalance to 2 members after the crash (ms)', Date.now() - t0);
    });

    await ctx.step('every run completes', async () => {
      for (const run of runs) await ctx.check(runCompleted(recorder, run.runId, { timeoutMs: 30_000 }));
    });

    await ctx.step('no task lost, none completed twice', async () => {
      await ctx.check(noTaskLostOrDuplicated(recorder, runs.map((r) => r.runId)));
      ctx.measure('duplicate results ignored by the engine', engine.outcomes.duplicate + engine.outcomes.stale);
      ctx.measure('assignment changes seen', recorder.groupHistory(group).length);
    });
  },
});

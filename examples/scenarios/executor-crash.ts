import {
  behaviours,
  defineScenario,
  noTaskLostOrDuplicated,
  rebalancedTo,
  runCompleted,
  type RunState,
} from 'gamelan-kafka-harness';

export default defineScenario({
  name: 'example-executor-crash',
  description:
    'An executor in its own process is killed with kill -9 mid-run: its partitions move to the executor left, and every run completes exactly once.',
  timeoutMs: 90_000,
  async run(ctx) {
    const { recorder, config, topics } = ctx;
    const members = (count: number) => ({
      groupId: config.consumer.groupId,
      members: count,
      topic: topics.tasks,
      partitions: config.partitions,
      timeoutMs: 30_000,
    });

    const engine = await ctx.step('start an in-process executor and the engine', async () => {
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(50) });
      return ctx.startEngine();
    });

    const doomed = await ctx.step(
      'a second executor joins in its own process: the partitions are shared by two',
      async () => {
        const child = await ctx.startExecutorProcess({ executorType: 'import-executor', behaviour: 'slow:300' });
        await ctx.check(rebalancedTo(recorder, members(2)));
        return child;
      },
    );

    const runs: RunState[] = [];
    await ctx.step('start ten runs, then kill -9 the second executor', async () => {
      for (let row = 0; row < 10; row++)
        runs.push(await engine.startRun('bulk-import', { tenantId: 'acme', context: { row } }));
      await doomed.crash();
    });

    await ctx.step('after the session timeout its partitions move to the executor left', async () => {
      const t0 = Date.now();
      await ctx.check(rebalancedTo(recorder, members(1)));
      ctx.measure('rebalance after kill -9 (ms)', Date.now() - t0);
    });

    await ctx.step('every run completes; no task lost, none completed twice', async () => {
      for (const run of runs) await ctx.check(runCompleted(recorder, run.runId, { timeoutMs: 30_000 }));
      await ctx.check(
        noTaskLostOrDuplicated(
          recorder,
          runs.map((r) => r.runId),
        ),
      );
    });
  },
});

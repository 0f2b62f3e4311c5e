import { behaviours, byLength, defineScenario, runCompleted } from 'gamelan-kafka-harness';

const RUNS = byLength({ short: 16, long: 400 });

export default defineScenario({
  name: 'chaos-broker-restart',
  description:
    'Three brokers: while runs are in flight a broker (drawn from the seed) is stopped and started again on its log directory; it rejoins the cluster, ' +
    'every run completes, none lost, none completed twice.',
  tags: ['chaos'],
  needs: { brokers: 3, faults: true },
  timeoutMs: byLength({ short: 240_000, long: 900_000 }),
  async run(ctx) {
    const { recorder, faults } = ctx;
    const engine = await ctx.step('start the engine and two executors', async () => {
      const started = await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(50) });
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(50) });
      return started;
    });
    // Drawn from the run's seed: which broker restarts, and after how many of the runs.
    const victim = ctx.random.stream('victim').pick([...faults.brokers.nodeIds()].sort((a, b) => a - b));
    const after = ctx.random.stream('timing').int(Math.ceil(RUNS / 4), Math.floor((3 * RUNS) / 4));
    ctx.planFault({
      what: 'restart (stop, start on its log directory)',
      target: `broker ${victim}`,
      when: `after ${after} of ${RUNS} runs started`,
    });
    await ctx.step(`${RUNS} runs while broker ${victim} restarts on its log directory`, async () => {
      const runIds: string[] = [];
      for (let i = 0; i < after; i++)
        runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
      const t0 = Date.now();
      const restarted = faults.brokers
        .restart(victim)
        .then(() => ctx.measure(`broker ${victim} back in the cluster after (ms)`, Date.now() - t0));
      for (let i = after; i < RUNS; i++)
        runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
      // While a broker rejoins, a send may take up to the producers' delivery timeout (120 s, Java's delivery.timeout.ms;
      // a produce to a partition whose follower is gone waits out a 30 s request timeout per attempt): wait past it.
      for (const runId of runIds) await ctx.check(runCompleted(recorder, runId, { timeoutMs: 150_000 }));
      ctx.measure('time to recover: all runs completed after the restart began (ms)', Date.now() - t0);
      await restarted;
    });
  },
});

import { behaviours, byLength, defineScenario, rebalancedTo, runCompleted } from 'gamelan-kafka-harness';

const RUNS = byLength({ short: 12, long: 300 });
const SESSION_TIMEOUT_MS = 3_000;

export default defineScenario({
  name: 'chaos-executor-partition',
  description:
    'One of two executors (drawn from the seed) is cut off from every broker (a blackhole) for three to four times its session timeout while runs are in flight: ' +
    'its partitions move to the other, its unanswered tasks are redelivered there; nothing lost, nothing completed twice.',
  tags: ['chaos'],
  needs: { faults: true, clientLanes: true },
  config: { consumer: { sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: 500 } },
  timeoutMs: byLength({ short: 90_000, long: 600_000 }),
  async run(ctx) {
    const { recorder, config, topics, faults } = ctx;
    const engine = await ctx.step('start the engine and two executors (lanes executor-1, executor-2)', async () => {
      const started = await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(150) });
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(150) });
      await ctx.check(
        rebalancedTo(recorder, {
          groupId: config.consumer.groupId,
          members: 2,
          topic: topics.tasks,
          partitions: config.partitions,
          timeoutMs: 30_000,
        }),
      );
      return started;
    });
    const runIds = await ctx.step(`${RUNS} runs in flight`, async () => {
      const ids: string[] = [];
      for (let i = 0; i < RUNS; i++)
        ids.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
      return ids;
    });
    // Drawn from the run's seed: which executor is cut off, and for how long (three to four session timeouts).
    const lane = ctx.random.stream('victim').pick(['executor-1', 'executor-2']);
    const forMs = ctx.random.stream('duration').int(SESSION_TIMEOUT_MS * 3, SESSION_TIMEOUT_MS * 4);
    ctx.planFault({ what: 'blackhole', target: `lane ${lane}`, when: `once the ${RUNS} runs are started`, forMs });
    await ctx.step(`${lane} blackholed for ${forMs} ms: every run completes`, async () => {
      const fault = await faults.network.blackhole({ client: lane, forMs });
      const cutAt = Date.now();
      for (const runId of runIds) await ctx.check(runCompleted(recorder, runId, { timeoutMs: 60_000 }));
      ctx.measure('time to recover: all runs completed after the cut (ms)', Date.now() - cutAt);
      await fault.removed;
      ctx.measure(
        'duplicate or stale results ignored by the engine',
        engine.outcomes.duplicate + engine.outcomes.stale,
      );
    });
  },
});

import { behaviours, byLength, defineScenario, runCompleted, type ScenarioContext } from 'gamelan-kafka-harness';

const RUNS = byLength({ short: 20, long: 600 });

/** acks=all with min.insync.replicas 2 on replication factor 2: a write needs both replicas. */
async function requireTwoInSync(ctx: ScenarioContext): Promise<void> {
  await ctx.admin.alterConfigs({
    validateOnly: false,
    resources: Object.values(ctx.topics).map((name) => ({
      type: 2 /* TOPIC */,
      name,
      configEntries: [{ name: 'min.insync.replicas', value: '2' }],
    })),
  });
}

export default defineScenario({
  name: 'chaos-leader-failover',
  description:
    "Three brokers, replication factor 2, min.insync.replicas 2, acks all: under load the leader of a run's tasks partition (the run drawn from the seed) is killed with kill -9 " +
    'and restarted 2 to 4 s later; leadership fails over, writes wait for the ISR, every run completes, none lost, none completed twice.',
  tags: ['chaos'],
  needs: { brokers: 3, faults: true },
  timeoutMs: byLength({ short: 240_000, long: 900_000 }),
  async run(ctx) {
    const { recorder, faults, topics, config } = ctx;
    await ctx.step('topics: replication factor 2, min.insync.replicas 2', async () => {
      if (config.replicationFactor < 2)
        throw new Error(`replication factor ${config.replicationFactor}: this scenario needs 2`);
      await requireTwoInSync(ctx);
    });
    const engine = await ctx.step('start the engine and two executors', async () => {
      const started = await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(50) });
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(50) });
      return started;
    });
    const runIds: string[] = [];
    const burst = async (from: number) => {
      for (let i = from; i < from + RUNS / 2; i++)
        runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
    };
    // Drawn from the run's seed: whose tasks partition loses its leader, and how long the leader stays down.
    const victimRun = ctx.random.stream('victim').int(0, RUNS / 2 - 1);
    const downMs = ctx.random.stream('timing').int(2_000, 4_000);
    ctx.planFault({
      what: 'kill -9, then restart',
      target: `the leader of run #${victimRun}'s tasks partition`,
      when: `after ${RUNS / 2} runs`,
      forMs: downMs,
    });
    await ctx.step(
      `half the runs, then kill -9 of the leader of run #${victimRun}'s tasks partition, the other half`,
      async () => {
        await burst(0);
        const killed = await faults.brokers.killLeaderOf(topics.tasks, runIds[victimRun]!);
        ctx.measure('killed broker (leader of tasks partition)', `${killed.leader} (partition ${killed.partition})`);
        const t0 = Date.now();
        const restart = new Promise((r) => setTimeout(r, downMs)).then(() => faults.brokers.restart(killed.leader));
        await burst(RUNS / 2);
        // While a broker rejoins, a send may take up to the producers' delivery timeout (120 s, Java's delivery.timeout.ms;
        // a produce to a partition whose follower is gone waits out a 30 s request timeout per attempt): wait past it.
        for (const runId of runIds) await ctx.check(runCompleted(recorder, runId, { timeoutMs: 150_000 }));
        ctx.measure('time to recover: all runs completed after the kill (ms)', Date.now() - t0);
        await restart;
        ctx.measure(
          'duplicate or stale results ignored by the engine',
          engine.outcomes.duplicate + engine.outcomes.stale,
        );
      },
    );
  },
});

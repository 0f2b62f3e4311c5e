import { behaviours, byLength, defineScenario, runCompleted } from 'gamelan-kafka-harness';

const RUNS = byLength({ short: 10, long: 100 });
const SLOW_MS = byLength({ short: 6_000, long: 30_000 });

export default defineScenario({
  name: 'chaos-slow-network',
  description:
    `Every client (engine and executors) reaches the brokers with 100 to 200 ms added latency (drawn from the seed) and a 64 KB/s bandwidth limit for ${SLOW_MS / 1000} s while runs are in flight: ` +
    'they are slower, never lost, never completed twice.',
  tags: ['chaos'],
  needs: { faults: true },
  timeoutMs: byLength({ short: 90_000, long: 600_000 }),
  async run(ctx) {
    const { recorder, faults } = ctx;
    const engine = await ctx.step('start the engine and two executors', async () => {
      const started = await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() });
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() });
      return started;
    });
    // Drawn from the run's seed: the added latency.
    const latencyMs = ctx.random.stream('latency').int(100, 200);
    ctx.planFault({
      what: `latency ${latencyMs} ms`,
      target: 'every lane',
      when: 'once the executors are up',
      forMs: SLOW_MS,
    });
    ctx.planFault({
      what: 'bandwidth 64 KB/s',
      target: 'every lane',
      when: 'once the executors are up',
      forMs: SLOW_MS,
    });
    await ctx.step(`latency ${latencyMs} ms and 64 KB/s on every lane, ${RUNS} runs complete`, async () => {
      const latency = await faults.network.latency(latencyMs, { forMs: SLOW_MS });
      const bandwidth = await faults.network.bandwidth(64, { forMs: SLOW_MS });
      const t0 = Date.now();
      const runIds: string[] = [];
      for (let i = 0; i < RUNS; i++)
        runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
      for (const runId of runIds) await ctx.check(runCompleted(recorder, runId, { timeoutMs: 60_000 }));
      ctx.measure(`${RUNS} runs under a slow network (ms)`, Date.now() - t0);
      await Promise.all([latency.removed, bandwidth.removed]);
    });
  },
});

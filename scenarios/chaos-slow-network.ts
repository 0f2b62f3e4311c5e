import { behaviours, defineScenario, runCompleted } from 'gamelan-kafka-harness';

const RUNS = 10;

export default defineScenario({
  name: 'chaos-slow-network',
  description:
    'Every client (engine and executors) reaches the brokers with 150 ms added latency and a 64 KB/s bandwidth limit for 6 s while runs are in flight: ' +
    'they are slower, never lost, never completed twice.',
  tags: ['chaos'],
  needs: { faults: true },
  timeoutMs: 90_000,
  async run(ctx) {
    const { recorder, faults } = ctx;
    const engine = await ctx.step('start the engine and two executors', async () => {
      const started = await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() });
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() });
      return started;
    });
    await ctx.step(`latency 150 ms and 64 KB/s on every lane, ${RUNS} runs complete`, async () => {
      const latency = await faults.network.latency(150, { forMs: 6_000 });
      const bandwidth = await faults.network.bandwidth(64, { forMs: 6_000 });
      const t0 = Date.now();
      const runIds: string[] = [];
      for (let i = 0; i < RUNS; i++) runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
      for (const runId of runIds) await ctx.check(runCompleted(recorder, runId, { timeoutMs: 60_000 }));
      ctx.measure(`${RUNS} runs under a slow network (ms)`, Date.now() - t0);
      await Promise.all([latency.removed, bandwidth.removed]);
    });
  },
});

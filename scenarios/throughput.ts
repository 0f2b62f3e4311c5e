import { behaviours, defineScenario, noTaskLostOrDuplicated, type RunState } from 'gamelan-kafka-harness';

// A floor far below what `npm run bench:throughput` measures, so a slow or busy machine does not make it
// flaky: what it guards is that batching loses nothing and completes nothing twice at volume.
const RUNS = 20_000;
const FLOOR_RUNS_PER_SECOND = 100;
/** Runs started together: their records share produce requests (linger.ms, batch.size). */
const WAVE = 2_000;

export default defineScenario({
  name: 'throughput',
  description:
    `${RUNS.toLocaleString('en-US')} one-node runs through the engine and three executors with batched, lingering producers and batch consumers: ` +
    `at least ${FLOOR_RUNS_PER_SECOND} runs/s end to end, every run completes, no task lost and none completed twice.`,
  // 20,000 runs are too long for a default play of every scenario: played when named.
  tags: ['slow'],
  timeoutMs: 240_000,
  async run(ctx) {
    const { recorder, faker } = ctx;
    const engine = await ctx.step('start the engine and three executors', async () => {
      const started = await ctx.startEngine();
      await Promise.all(
        [0, 1, 2].map(() => ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() })),
      );
      return started;
    });

    const t0 = performance.now();
    const runs: RunState[] = [];
    await ctx.step(
      `start ${RUNS.toLocaleString('en-US')} runs in waves of ${WAVE.toLocaleString('en-US')}`,
      async () => {
        for (let wave = 0; wave < RUNS; wave += WAVE) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(WAVE, RUNS - wave) }, (_, i) =>
              engine.startRun('bulk-import', {
                tenantId: `tenant-${(wave + i) % 8}`,
                context: { row: faker.number.int() },
              }),
            ),
          );
          runs.push(...batch);
        }
        ctx.measure('runs started per second', Math.round((RUNS * 1000) / (performance.now() - t0)));
      },
    );

    await ctx.step(`every run completes, at least ${FLOOR_RUNS_PER_SECOND} runs/s end to end`, async () => {
      const ended = await Promise.all(runs.map((r) => engine.waitForRun(r.runId, 180_000)));
      const perSecond = Math.round((RUNS * 1000) / (performance.now() - t0));
      ctx.measure('runs per second end to end', perSecond);
      const failed = ended.filter((r) => r.status !== 'COMPLETED');
      if (failed.length > 0)
        throw new Error(`${failed.length} run(s) did not complete, e.g. ${failed[0]!.runId}: ${failed[0]!.status}`);
      if (perSecond < FLOOR_RUNS_PER_SECOND)
        throw new Error(`${perSecond} runs/s end to end is below the floor of ${FLOOR_RUNS_PER_SECOND} runs/s`);
    });

    await ctx.step('no task lost, none completed twice (read back from the events topic)', async () => {
      await ctx.check(
        noTaskLostOrDuplicated(
          recorder,
          runs.map((r) => r.runId),
          { timeoutMs: 60_000 },
        ),
      );
      ctx.measure('records recorded', recorder.messages().length);
      ctx.measure(
        'duplicate or stale results ignored by the engine',
        engine.outcomes.duplicate + engine.outcomes.stale,
      );
    });
  },
});

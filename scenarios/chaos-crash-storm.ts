import { behaviours, byLength, defineScenario, runCompleted } from 'gamelan-kafka-harness';

const CRASHES = byLength({ short: 3, long: 12 });
const RUNS_PER_ROUND = 6;

export default defineScenario({
  name: 'chaos-crash-storm',
  description:
    `An executor in its own process is killed with kill -9 mid-task ${CRASHES} times in a row (a new one each time) beside a steady one: ` +
    'every run completes, none lost, none completed twice (long version: 12 crashes).',
  tags: ['chaos'],
  needs: { faults: true },
  config: { consumer: { sessionTimeoutMs: 3_000, heartbeatIntervalMs: 500 } },
  timeoutMs: byLength({ short: 180_000, long: 600_000 }),
  async run(ctx) {
    const { recorder } = ctx;
    // The schedule, drawn from the run's seed before anything happens: how long each child works before its kill -9.
    const timing = ctx.random.stream('crash timing');
    const crashes = Array.from({ length: CRASHES }, (_, round) =>
      ctx.planFault({
        what: 'kill -9',
        target: `the child executor of round ${round}`,
        when: `round ${round}, after its ${RUNS_PER_ROUND} runs`,
        delayMs: timing.int(250, 800),
      }),
    );
    const engine = await ctx.step('start the engine and a steady in-process executor', async () => {
      const started = await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(100) });
      return started;
    });
    const records = ctx.random.stream('records');
    const runIds: string[] = [];
    await ctx.step(`${CRASHES} rounds: a child executor joins, takes tasks, is killed with kill -9`, async () => {
      for (let round = 0; round < CRASHES; round++) {
        const child = await ctx.startExecutorProcess({ executorType: 'import-executor', behaviour: 'slow:300' });
        for (let i = 0; i < RUNS_PER_ROUND; i++) {
          const context = { round, record: i, customer: ctx.faker.string.alphanumeric(10), rows: records.int(1, 500) };
          runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context })).runId);
        }
        await new Promise((r) => setTimeout(r, crashes[round]!.delayMs)); // let it take tasks it will never finish
        await child.crash();
      }
    });
    await ctx.step('every run completes', async () => {
      const t0 = Date.now();
      for (const runId of runIds) await ctx.check(runCompleted(recorder, runId, { timeoutMs: 60_000 }));
      ctx.measure('time to recover after the last crash (ms)', Date.now() - t0);
      ctx.measure('crashes', CRASHES);
      ctx.measure(
        'duplicate or stale results ignored by the engine',
        engine.outcomes.duplicate + engine.outcomes.stale,
      );
    });
  },
});

import { behaviours, defineScenario, lagAtMost } from 'gamelan-kafka-harness';
import { consumerLag, describeGroupWithKafkaTool, totalLag } from 'gamelan-kafka-harness/brokers';

const BURST = 40;

export default defineScenario({
  name: 'lag',
  description:
    'A burst of tasks to one slow executor makes lag grow (per partition, committed versus end offsets); more executors drain it to zero; ' +
    "the harness's lag figures equal what Kafka's own kafka-consumer-groups reports.",
  timeoutMs: 120_000,
  async run(ctx) {
    const { admin, config, faker, topics } = ctx;
    const group = config.consumer.groupId;
    const engine = await ctx.step('start the engine', () => ctx.startEngine());
    const slow = await ctx.step('one slow executor', () =>
      ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(150) }),
    );

    await ctx.step(`burst of ${BURST} tasks: lag grows`, async () => {
      // Started together, as a burst is: their tasks share produce requests (linger.ms) instead of lingering one by one.
      await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          engine.startRun('bulk-import', { tenantId: `tenant-${i % 3}`, context: { row: faker.number.int() } }),
        ),
      );
      const lags = await consumerLag(admin, group, [topics.tasks]);
      ctx.measure('lag after the burst', totalLag(lags));
      if (totalLag(lags) < BURST / 4)
        throw new Error(`expected the lag to grow to at least ${BURST / 4}, it is ${totalLag(lags)}`);
      // The slow executor has answered a few (its consumer commits them, at the latest when it stops), so the
      // comparison below has committed partitions to compare.
      const deadline = Date.now() + 10_000;
      while (slow.answered.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    });

    await ctx.step("with the executor stopped, the harness's lag equals kafka-consumer-groups --describe", async () => {
      // Stopped once it has committed somewhere (a whole burst can arrive as one chunk per partition, committed only
      // when done): with no member left, the tool lists only partitions the group committed on.
      const deadline = Date.now() + 30_000;
      while (!(await consumerLag(admin, group, [topics.tasks])).some((l) => l.committed !== null)) {
        if (Date.now() > deadline) throw new Error('the slow executor committed nothing within 30 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      await slow.stop();
      const ours = (await consumerLag(admin, group, [topics.tasks])).map((l) => ({
        partition: l.partition,
        committed: l.committed,
        end: l.end,
        lag: l.committed === null ? null : l.lag,
      }));
      const theirs = await describeGroupWithKafkaTool(ctx.bootstrapServers, group);
      ctx.measure('lag per partition (harness)', ours);
      ctx.measure('lag per partition (kafka-consumer-groups)', theirs);
      // With no member left, the tool lists only partitions the group committed on; the others must be uncommitted in ours.
      const comparable = ours.filter((l) => theirs.some((t) => t.partition === l.partition) || l.committed !== null);
      const shown = theirs.map((l) => ({ partition: l.partition, committed: l.committed, end: l.end, lag: l.lag }));
      if (theirs.length === 0 || JSON.stringify(comparable) !== JSON.stringify(shown))
        throw new Error(`harness ${JSON.stringify(ours)} ≠ Kafka tool ${JSON.stringify(shown)}`);
    });

    await ctx.step('three executors drain it to zero', async () => {
      const t0 = Date.now();
      for (let i = 0; i < 3; i++)
        await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.slow(20) });
      await ctx.check(lagAtMost(admin, { groupId: group, topics: [topics.tasks], max: 0, timeoutMs: 60_000 }));
      ctx.measure('drain time (ms)', Date.now() - t0);
    });
  },
});

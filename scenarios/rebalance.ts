import {
  behaviours,
  defineScenario,
  noTaskLostOrDuplicated,
  rebalancedTo,
  runCompleted,
  type RunState,
} from 'gamelan-kafka-harness';

const BURST = 20;

export default defineScenario({
  name: 'rebalance',
  description:
    'Two executors share the tasks; a third (its own process) joins mid-run and the partitions are redistributed (each owned once); ' +
    'then it is killed with kill -9 mid-task and, after the session timeout, its partitions move; no task lost, none completed twice, every run completes.',
  timeoutMs: 90_000,
  async run(ctx) {
    const { recorder, config, faker, topics } = ctx;
    const group = config.consumer.groupId;
    const engine = await ctx.step('start the engine', () => ctx.startEngine());
    const handler = behaviours.slow(100);
    const runs: RunState[] = [];
    const burst = async () => {
      for (let i = 0; i < BURST; i++) {
        runs.push(
          await engine.startRun('bulk-import', {
            tenantId: `tenant-${faker.number.int({ min: 1, max: 4 })}`,
            context: { record: faker.string.uuid() },
          }),
        );
      }
    };

    await ctx.step('two executors join the group and share the partitions', async () => {
      await ctx.startExecutor({ executorType: 'import-executor', handler });
      await ctx.startExecutor({ executorType: 'import-executor', handler });
      await ctx.check(
        rebalancedTo(recorder, {
          groupId: group,
          members: 2,
          topic: topics.tasks,
          partitions: config.partitions,
          timeoutMs: 20_000,
        }),
      );
    });

    await ctx.step(`the group joined with the ${ctx.groupProtocol} protocol`, () => {
      // As the broker describes the group, not as it was asked: classic (join/sync) or consumer (KIP-848, Kafka 4).
      const used = recorder.groupHistory(group).findLast((s) => s.protocol)?.protocol;
      ctx.measure('group protocol', used ?? 'unknown');
      if (used !== ctx.groupProtocol)
        throw new Error(
          `the executors' group was described as ${used ?? 'no'} protocol group; asked: ${ctx.groupProtocol}`,
        );
    });

    await ctx.step(`a burst of ${BURST} runs`, burst);

    const third = await ctx.step(
      'a third executor (own process) joins mid-run: each partition owned by exactly one of three',
      async () => {
        const t0 = Date.now();
        const child = await ctx.startExecutorProcess({ executorType: 'import-executor', behaviour: 'slow:400' });
        await ctx.check(
          rebalancedTo(recorder, {
            groupId: group,
            members: 3,
            topic: topics.tasks,
            partitions: config.partitions,
            timeoutMs: 30_000,
          }),
        );
        ctx.measure('rebalance to 3 members (ms)', Date.now() - t0);
        return child;
      },
    );

    await ctx.step(`another burst of ${BURST} runs, then kill -9 of the third executor mid-task`, async () => {
      await burst();
      await new Promise((r) => setTimeout(r, 300)); // let it take a task it will never finish
      await third.crash();
    });

    await ctx.step('after the session timeout its partitions move to the two left', async () => {
      const t0 = Date.now();
      await ctx.check(
        rebalancedTo(recorder, {
          groupId: group,
          members: 2,
          topic: topics.tasks,
          partitions: config.partitions,
          timeoutMs: 30_000,
        }),
      );
      ctx.measure('rebalance to 2 members after kill -9 (ms)', Date.now() - t0);
      // Classic: the members' session.timeout.ms; consumer protocol: the broker's group.consumer.session.timeout.ms.
      if (ctx.groupProtocol === 'classic') ctx.measure('session timeout (ms)', config.consumer.sessionTimeoutMs);
    });

    await ctx.step('every run completes', async () => {
      for (const run of runs) await ctx.check(runCompleted(recorder, run.runId, { timeoutMs: 30_000 }));
    });

    await ctx.step('no task lost, none completed twice', async () => {
      await ctx.check(
        noTaskLostOrDuplicated(
          recorder,
          runs.map((r) => r.runId),
        ),
      );
      ctx.measure(
        'duplicate or stale results ignored by the engine',
        engine.outcomes.duplicate + engine.outcomes.stale,
      );
      ctx.measure('assignment changes seen', recorder.groupHistory(group).length);
    });
  },
});

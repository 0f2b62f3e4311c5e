import {
  behaviours,
  defineScenario,
  runCompleted,
  type ScenarioContext,
  type WorkflowEventMessage,
} from 'gamelan-kafka-harness';
import { readTopic, resetOffsets } from 'gamelan-kafka-harness/brokers';
import { decodeRecordIn, dialectNamed, EventConsumer, partitionForKey } from 'gamelan-kafka-harness/protocol';

type Projection = Record<string, { status: string; events: number; completedNodes: string[] }>;

/** A projection of runs built from gamelan.workflow-events, as the spec's KafkaEventConsumer feeds one. */
function project(projection: Projection, event: WorkflowEventMessage): void {
  const run = (projection[event.runId] ??= { status: 'RUNNING', events: 0, completedNodes: [] });
  run.events += 1;
  if (event.eventType === 'RUN_COMPLETED') run.status = 'COMPLETED';
  if (event.eventType === 'RUN_FAILED') run.status = 'FAILED';
  if (event.eventType === 'NODE_COMPLETED') run.completedNodes.push(String(event.payload?.nodeId));
}

async function buildProjection(ctx: ScenarioContext, groupId: string, expectedEvents: number): Promise<Projection> {
  const projection: Projection = {};
  let seen = 0;
  const consumer = await EventConsumer.start({
    kafka: ctx.kafka,
    config: ctx.config,
    groupId,
    dialect: ctx.dialect,
    handler: (event) => {
      project(projection, event);
      seen += 1;
    },
  });
  const deadline = Date.now() + 30_000;
  while (seen < expectedEvents && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
  if (seen !== expectedEvents) throw new Error(`projection saw ${seen} events, expected ${expectedEvents}`);
  return projection;
}

/** The projection as text; `ordered: false` when the events carry no per-run order (the order nodes completed in is then not compared). */
const canonical = (p: Projection, ordered = true) =>
  JSON.stringify(
    Object.keys(p)
      .sort()
      .map((k) => [k, ordered ? p[k] : { ...p[k]!, completedNodes: [...p[k]!.completedNodes].sort() }]),
  );

export default defineScenario({
  name: 'replay',
  description:
    'A projection of runs is built from gamelan.workflow-events; the projection group is reset to earliest and to a timestamp and rebuilt ' +
    'to an identical projection; one run’s history is replayed by runId from its partition.',
  timeoutMs: 90_000,
  async run(ctx) {
    const { recorder, faker, topics, admin, config } = ctx;
    const startedAt = new Date(Date.now() - 1_000);
    const engine = await ctx.step('start the engine and one executor per type', async () => {
      const types = [
        'validation-executor',
        'payment-processor',
        'notification-executor',
        'inventory-executor',
        'fraud-executor',
        'shipping-executor',
      ];
      await Promise.all(
        types.map((t) =>
          ctx.startExecutor({ executorType: t, groupId: `${ctx.prefix}.${t}s`, handler: behaviours.succeed() }),
        ),
      );
      return ctx.startEngine();
    });
    const runs = await ctx.step('play 6 runs of two workflows to completion', async () => {
      const started = [];
      for (let i = 0; i < 6; i++) {
        started.push(
          await engine.startRun(i % 2 ? 'order-fan-out' : 'payment-linear', {
            tenantId: faker.company.buzzNoun(),
            context: { amount: faker.number.int({ min: 1, max: 900 }) },
          }),
        );
      }
      for (const run of started) await ctx.check(runCompleted(recorder, run.runId, { timeoutMs: 30_000 }));
      return started;
    });
    const total = recorder.ofRole('events').length;
    const group = `${ctx.prefix}.gamelan-event-processors`;
    // Unkeyed events (upstream) are spread over partitions: a rebuild sees each run's events in another order.
    const ordered = dialectNamed(ctx.dialect).messages.events.key.kind !== 'none';
    const first = await ctx.step('build the projection from the events topic', () =>
      buildProjection(ctx, group, total),
    );

    await ctx.step('reset the group to earliest and rebuild: identical projection', async () => {
      let t0 = Date.now();
      await resetOffsets(ctx.kafka, admin, group, topics.events, { kind: 'earliest' });
      ctx.measure('reset to earliest (ms)', Date.now() - t0);
      t0 = Date.now();
      const again = await buildProjection(ctx, group, total);
      ctx.measure('rebuild (ms)', Date.now() - t0);
      if (canonical(again, ordered) !== canonical(first, ordered))
        throw new Error(
          `projection differs after replay from earliest:\n${canonical(first, ordered)}\n${canonical(again, ordered)}`,
        );
    });

    await ctx.step(
      'reset the group to a timestamp before the first run and rebuild: identical projection',
      async () => {
        await resetOffsets(ctx.kafka, admin, group, topics.events, { kind: 'datetime', at: startedAt });
        const again = await buildProjection(ctx, group, total);
        if (canonical(again, ordered) !== canonical(first, ordered))
          throw new Error('projection differs after replay from a timestamp');
      },
    );

    // An upstream engine writes events without a key (the Java client's sticky partitioner): a run's events are
    // spread over partitions with no per-run order, so its history is gathered from every partition and compared
    // as a set; where the dialect keys events by runId, it is read from the run's partition, in order.
    if (dialectNamed(ctx.dialect).messages.events.key.kind === 'none') {
      await ctx.step(
        `gather one run's history by runId from every partition (${ctx.dialect}: events carry no key, per-run order not checked)`,
        async () => {
          const run = runs[3]!;
          const history: string[] = [];
          await readTopic(ctx.kafka, admin, topics.events, ({ message }) => {
            const decoded = decodeRecordIn(ctx.dialect, 'events', message);
            if (decoded.ok && decoded.message.message.runId === run.runId)
              history.push(decoded.message.message.eventType);
          });
          const recorded = recorder
            .byRun(run.runId)
            .filter((m) => m.role === 'events')
            .map((m) => (m.value as WorkflowEventMessage).eventType);
          ctx.measure('replayed history (as a set)', [...history].sort());
          ctx.measure('per-run order', `not checked: the ${ctx.dialect} dialect writes events without a key`);
          if (JSON.stringify([...history].sort()) !== JSON.stringify([...recorded].sort()))
            throw new Error(`replayed ${JSON.stringify(history)} ≠ recorded ${JSON.stringify(recorded)} (as sets)`);
          if (!history.includes('RUN_COMPLETED'))
            throw new Error(`history has no RUN_COMPLETED: ${JSON.stringify(history)}`);
        },
      );
      return;
    }

    await ctx.step("replay one run's history by runId from its partition", async () => {
      const run = runs[3]!;
      const partition = partitionForKey(run.runId, config.partitions);
      const history: string[] = [];
      await readTopic(ctx.kafka, admin, topics.events, ({ partition: p, message }) => {
        if (p === partition && message.key?.toString() === run.runId)
          history.push((JSON.parse(message.value!.toString()) as WorkflowEventMessage).eventType);
      });
      const recorded = recorder
        .byRun(run.runId)
        .filter((m) => m.role === 'events')
        .map((m) => (m.value as WorkflowEventMessage).eventType);
      ctx.measure('replayed history', history);
      if (JSON.stringify(history) !== JSON.stringify(recorded))
        throw new Error(`replayed ${JSON.stringify(history)} ≠ recorded ${JSON.stringify(recorded)}`);
      if (history[0] !== 'RUN_CREATED' || history.at(-1) !== 'RUN_COMPLETED')
        throw new Error(`history out of order: ${JSON.stringify(history)}`);
    });
  },
});

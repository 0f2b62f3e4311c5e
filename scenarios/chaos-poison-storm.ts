import { behaviours, byLength, defineScenario, runCompleted } from 'gamelan-kafka-harness';

const RUNS = byLength({ short: 20, long: 1_000 });
const ORIGIN_HEADER = 'kafka_dlt-original-topic';

export default defineScenario({
  name: 'chaos-poison-storm',
  description:
    'While runs are in flight, 1 record in 10 on the tasks and results topics is invalid (not JSON, or JSON that fails its schema): ' +
    'no consumer crashes, every run completes, and every poison record lands in the dead-letter queue with its origin and reason.',
  tags: ['chaos'],
  timeoutMs: byLength({ short: 90_000, long: 600_000 }),
  async run(ctx) {
    const { recorder, topics } = ctx;
    const engine = await ctx.step('start the engine and two executors', async () => {
      const started = await ctx.startEngine();
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() });
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed() });
      return started;
    });
    const poison = ctx.kafka.producer({ allowAutoTopicCreation: false });
    await poison.connect();
    ctx.own({ stop: () => poison.disconnect() });
    const planted: { topic: string; key: string }[] = [];
    // Drawn from the run's seed: after which run of each five the poison goes in, and which kind goes to which topic.
    // A run makes about two records (its task and its result): one poison record per five runs and topic.
    const where = ctx.random.stream('poison position');
    const kinds = ctx.random.stream('poison kind');
    const plan = new Map<number, ('not JSON' | 'fails its schema')[]>();
    for (let block = 0; block < RUNS / 5; block++) {
      const after = block * 5 + where.int(0, 4);
      const kindsHere = kinds.shuffle(['not JSON', 'fails its schema'] as const); // both kinds each time; which topic gets which is drawn
      plan.set(after, kindsHere);
      ctx.planFault({
        what: `poison records (${kindsHere.join(', ')})`,
        target: 'tasks and results topics',
        when: `after run ${after}`,
      });
    }
    await ctx.step(`${RUNS} runs, with one invalid record per 10 records on tasks and results`, async () => {
      const runIds: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
        const poisonKinds = plan.get(i);
        if (poisonKinds) {
          for (const [n, topic] of [topics.tasks, topics.results].entries()) {
            const key = `poison-${planted.length}`;
            const value = poisonKinds[n] === 'not JSON' ? '{not json' : JSON.stringify({ runId: key, attempt: 'one' });
            await poison.send({ topic, messages: [{ key, value }] });
            planted.push({ topic, key });
          }
        }
      }
      for (const runId of runIds) await ctx.check(runCompleted(recorder, runId, { timeoutMs: 60_000 }));
    });
    await ctx.step('every poison record is in the dead-letter queue, with its origin and reason', async () => {
      const deadline = Date.now() + 30_000;
      const found = () => recorder.messages().filter((m) => m.role === 'dlq' && m.key?.startsWith('poison-'));
      while (found().length < planted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const letters = found();
      for (const { topic, key } of planted) {
        const letter = letters.find((m) => m.key === key);
        if (!letter)
          throw new Error(
            `poison record ${key} on ${topic} is not in the dead-letter queue (${letters.length} of ${planted.length} are)`,
          );
        if (letter.headers[ORIGIN_HEADER] !== topic)
          throw new Error(`dead letter ${key}: origin ${letter.headers[ORIGIN_HEADER]}, expected ${topic}`);
        const reason = (letter.value as { reason?: string } | undefined)?.reason;
        if (!reason) throw new Error(`dead letter ${key} carries no reason`);
      }
      ctx.measure('poison records planted', planted.length);
      ctx.measure('dead letters for them', letters.length);
    });
  },
});

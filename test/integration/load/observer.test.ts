import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { newSeriesPrefix } from '../../../harness/load/ledger.js';
import { startObserverThread } from '../../../harness/load/observer-thread.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';

// load's lost/duplicate check as `load` runs it: the observer on its own thread reads an events topic on a real
// broker. The events are written here, so a lost and a twice-completed task are certain (the engine never makes
// them on purpose); a clean series next to them on the same topic must still count 0.
let broker: StartedBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker?.stop());

type Event = { runId: string; eventType: string; payload?: { nodeId: string } };
const ok = (runId: string): Event[] => [
  { runId, eventType: 'RUN_CREATED' },
  { runId, eventType: 'NODE_STARTED', payload: { nodeId: 'task' } },
  { runId, eventType: 'NODE_COMPLETED', payload: { nodeId: 'task' } },
  { runId, eventType: 'RUN_COMPLETED' },
];

async function write(topic: string, events: readonly Event[]): Promise<void> {
  const producer = broker.kafka('observer-test').producer();
  await producer.connect();
  try {
    // keyed by runId, as the engine writes them: a run's events stay in order on one partition
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: e.runId, value: JSON.stringify(e) })) });
  } finally {
    await producer.disconnect();
  }
}

describe('the load observer on a real broker', () => {
  it('finds a lost task, a run with no events, a task completed twice and a completion after its run ended; a clean series counts 0', async () => {
    const topic = uniqueTopic('load-events');
    const admin = await broker.admin();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await using observer = await startObserverThread({
      bootstrapServers: broker.bootstrapServers,
      security: broker.security,
      topic,
    });

    const bad = newSeriesPrefix();
    const clean = newSeriesPrefix();
    const id = (prefix: string, i: number) => `${prefix}${i}`;
    const events: Event[] = [];
    for (let i = 0; i < 200; i++) events.push(...ok(id(clean, i)));
    for (let i = 0; i < 10; i++) {
      const runId = id(bad, i);
      if (i === 3)
        events.push(...ok(runId).toSpliced(3, 0, { runId, eventType: 'NODE_COMPLETED', payload: { nodeId: 'task' } }));
      else if (i === 5)
        events.push(
          { runId, eventType: 'NODE_STARTED', payload: { nodeId: 'task' } },
          { runId, eventType: 'RUN_FAILED' },
        );
      else if (i === 7) events.push(...ok(runId), { runId, eventType: 'NODE_COMPLETED', payload: { nodeId: 'task' } });
      else if (i !== 9) events.push(...ok(runId)); // run 9 never shows up
    }
    events.push({ runId: `run-${crypto.randomUUID()}`, eventType: 'NODE_STARTED', payload: { nodeId: 'task' } }); // not a load run's
    await write(topic, events);

    // The clean series first: once all its runs ended, the consumer has read past every partition of the write.
    expect(await observer.check({ prefix: clean, count: 200 }, { timeoutMs: 30_000 })).toMatchObject({
      lost: 0,
      duplicated: 0,
      tasksStarted: 200,
      lostSample: [],
      duplicatedSample: [],
      records: 200 * (4 + 1 + 1 + 2), // its events, a task, a result and two status updates per run
    });

    const check = await observer.check({ prefix: bad, count: 10 }, { timeoutMs: 5_000 });
    expect(check).toMatchObject({ lost: 2, duplicated: 2, tasksStarted: 9 });
    expect([...check.lostSample].sort()).toEqual([`${id(bad, 5)}/task`, `${id(bad, 9)}/(no events)`]);
    expect([...check.duplicatedSample].sort()).toEqual([
      `${id(bad, 3)}/task ×2`,
      `${id(bad, 7)}/task (after its run ended)`,
    ]);
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { subscribeWhenKnown } from '../clients/subscribe.js';

// Reads the events topic with its own group, independently of the engine's memory, and keeps per run
// and node what the events say: started, completed (how often), dead-lettered, run ended. Cheap enough
// for 100k runs (JSON.parse only, no schema validation: the recorder does that in scenarios).

interface RunEvents {
  readonly started: Set<string>;
  readonly completed: Map<string, number>;
  readonly dead: Set<string>;
  ended: boolean;
}

export interface CompletionCheck {
  /** runId/nodeId of started tasks with no NODE_COMPLETED nor NODE_DEAD_LETTERED. */
  readonly lost: readonly string[];
  /** runId/nodeId completed more than once. */
  readonly duplicated: readonly string[];
  readonly tasksStarted: number;
  /** Records these runs put on Kafka, derived from their events: events + tasks + results + two status updates per run. */
  readonly records: number;
}

export class CompletionObserver implements AsyncDisposable {
  readonly #consumer: Consumer;
  readonly #runs = new Map<string, RunEvents>();
  #events = 0;
  /** Highest offset read per partition: a batch read again after a rebalance is not counted twice. */
  readonly #readUpTo = new Map<number, bigint>();
  #stopped = false;

  private constructor(kafka: Kafka, readonly topic: string) {
    this.#consumer = kafka.consumer({ groupId: `gamelan-load-observer-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  }

  /** Subscribe to the events topic from the beginning and resolve once the group is joined. */
  static async start(kafka: Kafka, eventsTopic: string): Promise<CompletionObserver> {
    const observer = new CompletionObserver(kafka, eventsTopic);
    const consumer = observer.#consumer;
    await consumer.connect();
    await subscribeWhenKnown(consumer, { topics: [eventsTopic], fromBeginning: true });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: 8,
      eachBatch: async ({ batch }) => {
        const upTo = observer.#readUpTo.get(batch.partition) ?? -1n;
        for (const message of batch.messages) if (BigInt(message.offset) > upTo) observer.#see(message.value);
        const last = batch.messages.at(-1);
        if (last && BigInt(last.offset) > upTo) observer.#readUpTo.set(batch.partition, BigInt(last.offset));
      },
    });
    await joined;
    return observer;
  }

  #see(value: Buffer | null): void {
    if (!value) return;
    let event: { runId?: unknown; eventType?: unknown; payload?: { nodeId?: unknown } };
    try {
      event = JSON.parse(value.toString('utf8')) as typeof event;
    } catch {
      return;
    }
    if (typeof event.runId !== 'string') return;
    this.#events++;
    let run = this.#runs.get(event.runId);
    if (!run) this.#runs.set(event.runId, (run = { started: new Set(), completed: new Map(), dead: new Set(), ended: false }));
    const node = String(event.payload?.nodeId ?? '');
    switch (event.eventType) {
      case 'NODE_STARTED':
        run.started.add(node);
        break;
      case 'NODE_COMPLETED':
        run.completed.set(node, (run.completed.get(node) ?? 0) + 1);
        break;
      case 'NODE_DEAD_LETTERED':
        run.dead.add(node);
        break;
      case 'RUN_COMPLETED':
      case 'RUN_FAILED':
        run.ended = true;
        break;
    }
  }

  /** Wait (up to timeoutMs) until every run's end event was read, then count lost and twice-completed tasks. */
  async check(runIds: readonly string[], { timeoutMs }: { readonly timeoutMs: number }): Promise<CompletionCheck> {
    const deadline = Date.now() + timeoutMs;
    let pending = runIds.filter((id) => !this.#runs.get(id)?.ended);
    while (pending.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      pending = pending.filter((id) => !this.#runs.get(id)?.ended);
    }
    const lost: string[] = [];
    const duplicated: string[] = [];
    let tasksStarted = 0;
    let records = 0;
    for (const runId of runIds) {
      const run = this.#runs.get(runId);
      if (!run) {
        lost.push(`${runId}/(no events)`);
        continue;
      }
      tasksStarted += run.started.size;
      let results = 0;
      for (const node of run.started) {
        const completed = run.completed.get(node) ?? 0;
        results += completed;
        if (completed === 0 && !run.dead.has(node)) lost.push(`${runId}/${node}`);
        if (completed > 1) duplicated.push(`${runId}/${node} ×${completed}`);
      }
      // events of this run are counted below; tasks, results (one per completion) and two status updates
      records += run.started.size + results + 2;
    }
    return { lost, duplicated, tasksStarted, records: records + this.#eventsOf(runIds) };
  }

  #eventsOf(runIds: readonly string[]): number {
    // Exact when the topic holds only these runs (a load run's own topics); otherwise an upper bound.
    return runIds.length === this.#runs.size ? this.#events : Math.round((this.#events * runIds.length) / Math.max(1, this.#runs.size));
  }

  stop(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#stopped = true;
    return this.#consumer.disconnect();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

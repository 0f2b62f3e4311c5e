import { randomUUID } from 'node:crypto';
import type { Consumer, KafkaClient } from '../clients/client-api.js';
import { subscribeWhenKnown } from '../clients/subscribe.js';
import { CompletionLedger, type CompletionCheck, type LedgerSize, type RunSeries } from './ledger.js';

export type { CompletionCheck, RunSeries } from './ledger.js';

// Reads the events topic with its own group, independently of the engine's memory, into a CompletionLedger:
// per run and node what the events say (started, completed how often, dead-lettered, run ended), kept only
// while the run is open. Cheap enough for millions of runs (JSON.parse only, no schema validation: the
// recorder does that in scenarios).

export class CompletionObserver implements AsyncDisposable {
  readonly #consumer: Consumer;
  readonly #ledger = new CompletionLedger();
  /** Highest offset read per partition: a batch read again after a rebalance is not counted twice. */
  readonly #readUpTo = new Map<number, bigint>();
  #stopped = false;

  private constructor(
    kafka: KafkaClient,
    readonly topic: string,
  ) {
    this.#consumer = kafka.consumer({
      groupId: `gamelan-load-observer-${randomUUID()}`,
      maxWaitTimeInMs: 100,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
  }

  /** Subscribe to the events topic from the beginning and resolve once the group is joined. */
  static async start(kafka: KafkaClient, eventsTopic: string): Promise<CompletionObserver> {
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
    this.#ledger.see({
      runId: event.runId,
      eventType: String(event.eventType),
      nodeId: String(event.payload?.nodeId ?? ''),
    });
  }

  /** Wait (up to timeoutMs) until every run's end event was read, then count lost and twice-completed tasks. */
  async check(series: RunSeries, { timeoutMs }: { readonly timeoutMs: number }): Promise<CompletionCheck> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#ledger.allEnded(series) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    return this.#ledger.check(series);
  }

  /** What the bookkeeping holds now. */
  size(): LedgerSize {
    return this.#ledger.size();
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

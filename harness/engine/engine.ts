import type { Kafka } from 'kafkajs';
import type { GamelanKafkaConfig } from '../config/index.js';
import { topicNames } from '../config/index.js';
import { DeadLetterPublisher, EventPublisher, ResultConsumer, StatusPublisher, TaskProducer } from '../clients/index.js';
import { childTraceparent, createTraceparent, encodeRecord, type TaskMessage, type TaskResultMessage } from '../protocol/index.js';
import { waitFor } from '../wait.js';
import { type Clock, systemClock } from './clock.js';
import { EngineCore, type EngineOutput, type ResultOutcome, type RunState, type StartRunOptions } from './core.js';
import { BUNDLED_WORKFLOWS_DIR, loadWorkflows, type WorkflowDefinition } from './workflow.js';

export interface FakeEngineOptions {
  readonly kafka: Kafka;
  readonly config: GamelanKafkaConfig;
  /** Workflow definitions by id (default: the bundled fixtures/workflows). */
  readonly workflows?: ReadonlyMap<string, WorkflowDefinition>;
  readonly clock?: Clock;
  /** The engine's consumer group on the results topic (default `gamelan-engine`, as the spec's kafka.group.id). */
  readonly groupId?: string;
}

/**
 * An in-process Gamelan engine that talks only through Kafka: publishes tasks, events and status
 * updates, consumes results, retries and dead-letters. Its decisions live in EngineCore.
 */
export class FakeEngine implements AsyncDisposable {
  readonly core: EngineCore;
  readonly groupId: string;
  readonly outcomes: Record<ResultOutcome, number> = { applied: 0, duplicate: 0, stale: 0, 'unknown-run': 0, 'token-mismatch': 0 };
  #tasks!: TaskProducer;
  #events!: EventPublisher;
  #status!: StatusPublisher;
  #deadLetters!: DeadLetterPublisher;
  #results!: ResultConsumer;
  /** Publishing is serial, so the flow keeps the order the engine decided in. */
  #queue: Promise<void> = Promise.resolve();
  #publishError: unknown;
  readonly #traces = new Map<string, string>();
  readonly #sentTasks = new Map<string, { partition: number; offset: string; traceparent: string }>();
  readonly #options: FakeEngineOptions;
  #stopping: Promise<void> | undefined;

  private constructor(options: FakeEngineOptions) {
    this.#options = options;
    this.groupId = options.groupId ?? 'gamelan-engine';
    this.core = new EngineCore({
      workflows: options.workflows ?? loadWorkflows(BUNDLED_WORKFLOWS_DIR),
      dlq: options.config.dlq,
      clock: options.clock ?? systemClock,
      emit: (output) => this.#enqueue(output),
    });
  }

  static async start(options: FakeEngineOptions): Promise<FakeEngine> {
    const engine = new FakeEngine(options);
    const { kafka, config } = options;
    [engine.#tasks, engine.#events, engine.#status, engine.#deadLetters] = await Promise.all([
      TaskProducer.connect({ kafka, config }),
      EventPublisher.connect({ kafka, config }),
      StatusPublisher.connect({ kafka, config }),
      DeadLetterPublisher.connect({ kafka, config }),
    ]);
    engine.#results = await ResultConsumer.start({
      kafka,
      config,
      groupId: engine.groupId,
      handler: (result) => engine.#onResult(result),
    });
    return engine;
  }

  /** Start a run; resolves once its first records are acknowledged by the broker. */
  async startRun(workflowId: string, options: StartRunOptions): Promise<RunState> {
    const runId = options.runId ?? `run-${crypto.randomUUID()}`;
    this.#traces.set(runId, createTraceparent());
    const run = this.core.startRun(workflowId, { ...options, runId });
    await this.flushed();
    return run;
  }

  /** Wait until the run completed or failed. */
  waitForRun(runId: string, timeoutMs = 30_000): Promise<RunState> {
    return waitFor(
      () => {
        const run = this.core.run(runId);
        return run && run.status !== 'RUNNING' ? run : undefined;
      },
      {
        timeoutMs,
        intervalMs: 25,
        description: `run ${runId} to end`,
        describeLast: () => {
          const run = this.core.run(runId);
          return run ? `${run.status}, nodes ${[...run.nodes.values()].map((n) => `${n.nodeId}:${n.status}#${n.attempt}`).join(' ')}` : 'unknown run';
        },
      },
    );
  }

  /** Resolves when everything decided so far is published (and rethrows a publish failure). */
  async flushed(): Promise<void> {
    await this.#queue;
    if (this.#publishError) throw this.#publishError;
  }

  stats() {
    return { outcomes: { ...this.outcomes }, resultConsumer: this.#results.stats(), core: { ...this.core.counts } };
  }

  #onResult(result: TaskResultMessage): void {
    this.outcomes[this.core.onResult(result)] += 1;
  }

  #enqueue(output: EngineOutput): void {
    this.#queue = this.#queue.then(() => this.#publish(output)).catch((error: unknown) => {
      this.#publishError ??= error;
    });
  }

  async #publish(output: EngineOutput): Promise<void> {
    switch (output.kind) {
      case 'task': {
        const traceparent = childTraceparent(this.#traces.get(output.message.runId));
        const sent = await this.#tasks.send(output.message, { traceparent });
        this.#sentTasks.set(output.message.taskId, { partition: sent.partition, offset: sent.offset, traceparent });
        return;
      }
      case 'event':
        await this.#events.send(output.message, { traceparent: childTraceparent(this.#traces.get(output.message.runId)) });
        return;
      case 'status':
        await this.#status.send(output.message, { traceparent: childTraceparent(this.#traces.get(output.message.runId)) });
        return;
      case 'dead-letter':
        await this.#deadLetter(output.task, output.reason, output.cause);
        return;
    }
  }

  /** The task's last attempt goes to the DLQ as it was published: same key, bytes and origin. */
  async #deadLetter(task: TaskMessage, reason: string, cause: string): Promise<void> {
    const sent = this.#sentTasks.get(task.taskId);
    const record = encodeRecord('tasks', task, { traceparent: sent?.traceparent });
    await this.#deadLetters.forward(
      {
        topic: topicNames(this.#options.config).tasks,
        partition: sent?.partition ?? 0,
        offset: sent?.offset ?? '0',
        timestamp: Date.now(),
        key: record.key,
        value: record.value,
        headers: record.headers,
      },
      { reason, errorClass: 'TaskFailedError', message: cause, consumerGroup: this.groupId, messageType: 'TaskMessage' },
    );
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.core.dispose();
      await this.#queue;
      await Promise.allSettled([this.#results?.stop(), this.#tasks?.stop(), this.#events?.stop(), this.#status?.stop(), this.#deadLetters?.stop()]);
    })();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

import type { GroupProtocol, KafkaClient } from '../clients/client-api.js';
import { chooseGroupProtocol } from '../clients/group-protocol-choice.js';
import type { GamelanKafkaConfig } from '../config/index.js';
import { topicNames } from '../config/index.js';
import {
  DeadLetterPublisher,
  EventPublisher,
  ResultConsumer,
  StatusPublisher,
  TaskProducer,
} from '../clients/index.js';
import { childTraceparent, createTraceparent, type TaskMessage, type TaskResultMessage } from '../protocol/index.js';
import { encodeRecordIn } from '../protocol/dialects/codec.js';
import type { DialectName } from '../vocabulary.js';
import { ConfigError, TimeoutError } from '../errors.js';
import { type Clock, systemClock } from './clock.js';
import { EngineCore, type EngineOutput, type ResultOutcome, type RunState, type StartRunOptions } from './core.js';

/** Where a published task went: a dead letter of it names this origin. */
interface SentTask {
  readonly partition: number;
  readonly offset: string;
  readonly traceparent: string;
}
import { BUNDLED_WORKFLOWS_DIR, readWorkflows, type WorkflowDefinition } from './workflow.js';

export interface FakeEngineOptions {
  readonly kafka: KafkaClient;
  readonly config: GamelanKafkaConfig;
  /** Workflow definitions by id (default: the bundled fixtures/workflows). */
  readonly workflows?: ReadonlyMap<string, WorkflowDefinition>;
  readonly clock?: Clock;
  /** The engine's consumer group on the results topic (default `gamelan-engine`, as the spec's kafka.group.id). */
  readonly groupId?: string;
  /**
   * The group protocol its results consumer joins with: `classic`, or `consumer` (KIP-848, Kafka 4; needs a client
   * that speaks it, `platformatic`). Default GAMELAN_KAFKA_GROUP_PROTOCOL, else classic.
   */
  readonly groupProtocol?: GroupProtocol;
  /**
   * The wire dialect it writes and reads (default `spec`, the README). `upstream`: tasks as the Java module's
   * KafkaTaskProducer writes them (executionToken, keyed by runId), results read with COMPLETED/FAILED, unkeyed
   * events with the Java event types, status without tenantId, dead letters as the Java DeadLetterMessage JSON.
   */
  readonly dialect?: DialectName;
  /**
   * How many ended runs it keeps for `run()`, `runs()` and `waitForRun()` (default: all). A load run of millions
   * of runs sets a bound, so the engine's memory stays flat: the oldest ended runs are forgotten first.
   */
  readonly keepEndedRuns?: number;
}

/**
 * An in-process Gamelan engine that talks only through Kafka: publishes tasks, events and status
 * updates, consumes results, retries and dead-letters. Its decisions live in EngineCore.
 */
export class FakeEngine implements AsyncDisposable {
  readonly core: EngineCore;
  readonly groupId: string;
  readonly groupProtocol: GroupProtocol;
  readonly dialect: DialectName;
  readonly outcomes: Record<ResultOutcome, number> = {
    applied: 0,
    duplicate: 0,
    stale: 0,
    'unknown-run': 0,
    'token-mismatch': 0,
  };
  #tasks!: TaskProducer;
  #events!: EventPublisher;
  #status!: StatusPublisher;
  #deadLetters!: DeadLetterPublisher;
  #results!: ResultConsumer;
  /**
   * Sends not yet acknowledged. Each producer keeps the order its records were decided in (one request in
   * flight, see clients/linger.ts), so every run's records stay ordered on their partition of each topic.
   */
  readonly #pending = new Set<Promise<unknown>>();
  /** While startRun runs the core, the sends it decides are collected here, so it can await just those. */
  #collect: Promise<unknown>[] | undefined;
  #publishError: unknown;
  readonly #traces = new Map<string, string>();
  readonly #sentTasks = new Map<string, Promise<SentTask | undefined>>();
  readonly #runEnded = new Set<(run: RunState) => void>();
  readonly #waiters = new Map<string, Set<(run: RunState) => void>>();
  /** Ended runs still kept, oldest first (only with keepEndedRuns). */
  readonly #endedKept = new Set<string>();
  readonly #options: FakeEngineOptions;
  #stopping: Promise<void> | undefined;

  private constructor(options: FakeEngineOptions) {
    const keep = options.keepEndedRuns;
    if (keep !== undefined && !(Number.isInteger(keep) && keep >= 0)) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `FakeEngine keepEndedRuns = ${JSON.stringify(keep)} is not allowed: use an integer ≥ 0 (or leave it out to keep every run).`,
        {
          key: 'keepEndedRuns',
          value: String(keep),
        },
      );
    }
    this.#options = options;
    this.groupId = options.groupId ?? 'gamelan-engine';
    this.groupProtocol = chooseGroupProtocol(options.groupProtocol);
    this.dialect = options.dialect ?? 'spec';
    this.core = new EngineCore({
      workflows: options.workflows ?? readWorkflows(BUNDLED_WORKFLOWS_DIR),
      dlq: options.config.dlq,
      clock: options.clock ?? systemClock,
      emit: (output) => this.#enqueue(output),
      onRunEnded: (run) => this.#ended(run),
    });
  }

  static async start(options: FakeEngineOptions): Promise<FakeEngine> {
    const engine = new FakeEngine(options);
    const { kafka, config } = options;
    const dialect = engine.dialect;
    [engine.#tasks, engine.#events, engine.#status, engine.#deadLetters] = await Promise.all([
      TaskProducer.connect({ kafka, config, dialect }),
      EventPublisher.connect({ kafka, config, dialect }),
      StatusPublisher.connect({ kafka, config, dialect }),
      DeadLetterPublisher.connect({ kafka, config, dialect }),
    ]);
    engine.#results = await ResultConsumer.start({
      kafka,
      config,
      dialect,
      groupId: engine.groupId,
      consumer: { groupProtocol: engine.groupProtocol },
      handler: (result) => engine.#onResult(result),
    });
    return engine;
  }

  /**
   * Start a run; resolves once its first records are acknowledged by the broker. Start many without awaiting
   * each: their records share produce requests (linger.ms).
   */
  async startRun(workflowId: string, options: StartRunOptions): Promise<RunState> {
    const runId = options.runId ?? `run-${crypto.randomUUID()}`;
    this.#traces.set(runId, createTraceparent());
    const sends: Promise<unknown>[] = [];
    this.#collect = sends;
    let run: RunState;
    try {
      run = this.core.startRun(workflowId, { ...options, runId });
    } finally {
      this.#collect = undefined;
    }
    await Promise.all(sends);
    if (this.#publishError) throw this.#publishError;
    return run;
  }

  /** Call `listener` whenever a run completes or fails; returns the unsubscribe function. */
  onRunEnded(listener: (run: RunState) => void): () => void {
    this.#runEnded.add(listener);
    return () => this.#runEnded.delete(listener);
  }

  /** Wait until the run completed or failed (woken by the run's end, no polling). */
  waitForRun(runId: string, timeoutMs = 30_000): Promise<RunState> {
    const now = this.core.run(runId);
    if (now && now.status !== 'RUNNING') return Promise.resolve(now);
    let waiters = this.#waiters.get(runId);
    if (!waiters) this.#waiters.set(runId, (waiters = new Set()));
    const set = waiters;
    let timer: NodeJS.Timeout | undefined;
    let resolveEnded!: (run: RunState) => void;
    return new Promise<RunState>((resolve, reject) => {
      resolveEnded = resolve;
      set.add(resolveEnded);
      timer = setTimeout(() => {
        const run = this.core.run(runId);
        const seen = run
          ? `${run.status}, nodes ${[...run.nodes.values()].map((n) => `${n.nodeId}:${n.status}#${n.attempt}`).join(' ')}`
          : 'unknown run';
        reject(
          new TimeoutError(`Timed out after ${timeoutMs} ms waiting for run ${runId} to end. Last seen: ${seen}.`),
        );
      }, timeoutMs);
    }).finally(() => {
      clearTimeout(timer);
      set.delete(resolveEnded);
      if (set.size === 0) this.#waiters.delete(runId);
    });
  }

  /** Resolves when everything decided so far is published (and rethrows a publish failure). */
  async flushed(): Promise<void> {
    await Promise.all([this.#tasks.flush(), this.#events.flush(), this.#status.flush(), this.#deadLetters.flush()]);
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    if (this.#publishError) throw this.#publishError;
  }

  #ended(run: RunState): void {
    for (const listener of this.#runEnded) {
      try {
        listener(run);
      } catch {
        // a listener's failure is not the engine's
      }
    }
    for (const resolve of this.#waiters.get(run.runId) ?? []) resolve(run);
    const keep = this.#options.keepEndedRuns;
    if (keep === undefined) return;
    this.#endedKept.add(run.runId);
    for (const oldest of this.#endedKept) {
      if (this.#endedKept.size <= keep) break;
      this.#endedKept.delete(oldest);
      for (const taskId of this.core.forget(oldest) ?? []) this.#sentTasks.delete(taskId);
      this.#traces.delete(oldest);
    }
  }

  stats() {
    return { outcomes: { ...this.outcomes }, resultConsumer: this.#results.stats(), core: { ...this.core.counts } };
  }

  #onResult(result: TaskResultMessage): void {
    this.outcomes[this.core.onResult(result)] += 1;
  }

  /** Hand the output to its producer now (in the order the core decided), and track its acknowledgement. */
  #enqueue(output: EngineOutput): void {
    const send = this.#publish(output);
    this.#collect?.push(send);
    this.#pending.add(send);
    // One reaction for both outcomes (catch + finally made two promises per record: the engine writes 8 a run).
    void send.then(
      () => this.#pending.delete(send),
      (error: unknown) => {
        this.#publishError ??= error;
        this.#pending.delete(send);
      },
    );
  }

  #publish(output: EngineOutput): Promise<unknown> {
    switch (output.kind) {
      case 'task': {
        const traceparent = childTraceparent(this.#traces.get(output.message.runId));
        const sent = this.#tasks.send(output.message, { traceparent });
        this.#sentTasks.set(
          output.message.taskId,
          sent.then(
            (s) => ({ partition: s.partition, offset: s.offset, traceparent }),
            () => undefined,
          ),
        );
        return sent;
      }
      case 'event':
        return this.#events.send(output.message, {
          traceparent: childTraceparent(this.#traces.get(output.message.runId)),
        });
      case 'status':
        return this.#status.send(output.message, {
          traceparent: childTraceparent(this.#traces.get(output.message.runId)),
        });
      case 'dead-letter':
        return this.#deadLetter(output.task, output.reason, output.cause);
    }
  }

  /** The task's last attempt goes to the DLQ as it was published: same key, bytes and origin. */
  async #deadLetter(task: TaskMessage, reason: string, cause: string): Promise<void> {
    const sent = await this.#sentTasks.get(task.taskId);
    const record = encodeRecordIn(this.dialect, 'tasks', task, { traceparent: sent?.traceparent });
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
      {
        reason,
        errorClass: 'TaskFailedError',
        message: cause,
        consumerGroup: this.groupId,
        messageType: 'TaskMessage',
      },
    );
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.core.dispose();
      await this.flushed().catch(() => undefined); // a publish failure was reported to whoever awaited it
      await Promise.allSettled([
        this.#results?.stop(),
        this.#tasks?.stop(),
        this.#events?.stop(),
        this.#status?.stop(),
        this.#deadLetters?.stop(),
      ]);
    })();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

import { randomUUID } from 'node:crypto';
import type { GroupProtocol, KafkaClient, Producer } from '../clients/client-api.js';
import { chooseGroupProtocol } from '../clients/group-protocol-choice.js';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';
import { JavaCompatiblePartitioner, ResultProducer, TaskConsumer, type RecordContext } from '../clients/index.js';
import { childTraceparent, instantNow, type TaskMessage, type TaskResultMessage } from '../protocol/index.js';
import { ConfigError } from '../errors.js';
import { dialectNamed } from '../protocol/dialects/read.js';
import type { DialectName } from '../vocabulary.js';
import {
  type ContractBreak,
  ExecutorCrash,
  type HandlerContext,
  isContractBreak,
  type TaskHandler,
  BREAK_CONTRACT,
} from './handler.js';

export interface FakeExecutorOptions {
  readonly kafka: KafkaClient;
  readonly config: GamelanKafkaConfig;
  /** The executor type it serves: tasks whose targetExecutor differs are skipped (the spec's PaymentExecutor). */
  readonly executorType: string;
  readonly handler: TaskHandler;
  /** Consumer group (default gamelan.kafka.consumer.group-id, `gamelan-executors`); per-type groups are possible. */
  readonly groupId?: string;
  /**
   * The group protocol its tasks consumer joins with: `classic`, or `consumer` (KIP-848, Kafka 4; needs a client
   * that speaks it, `platformatic`). Default GAMELAN_KAFKA_GROUP_PROTOCOL, else classic.
   */
  readonly groupProtocol?: GroupProtocol;
  /** Instance id (default `<type>-<random>`), reported as executorId. */
  readonly id?: string;
  /** Tasks of one partition handled at once (default 1, in offset order; a worker pool sets more). */
  readonly concurrency?: number;
  /**
   * The wire dialect it reads tasks and writes results in (default `spec`, the README). `upstream`: results as
   * the Java engine reads them (COMPLETED/FAILED, executionToken, no taskId, keyed by runId, error as strings).
   */
  readonly dialect?: DialectName;
  /**
   * How many of the latest answered taskIds `answered` keeps (default: every one). A long load sets 0: the
   * list would grow by a task id per task for as long as the executor runs.
   */
  readonly keepAnswered?: number;
}

export interface ExecutorStats {
  readonly received: number;
  readonly skipped: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly contractBreaks: number;
}

/**
 * One fake executor instance in a consumer group: runs its handler behind the real protocol,
 * answers each task of its type with a result keyed by runId, commits a batch of tasks after every
 * result of it is acknowledged.
 */
export class FakeExecutor implements AsyncDisposable {
  readonly id: string;
  readonly executorType: string;
  readonly groupId: string;
  readonly groupProtocol: GroupProtocol;
  readonly dialect: DialectName;
  readonly #options: FakeExecutorOptions;
  readonly #abort = new AbortController();
  #consumer!: TaskConsumer;
  #results!: ResultProducer;
  #raw: Producer | undefined;
  #stats = { received: 0, skipped: 0, succeeded: 0, failed: 0, contractBreaks: 0 };
  #stopping: Promise<void> | undefined;
  /** Tasks this instance answered, in order (for scenarios that count redeliveries); with keepAnswered, at least the latest that many (at most twice as many). */
  readonly answered: string[] = [];
  readonly #keepAnswered: number;

  private constructor(options: FakeExecutorOptions) {
    this.#options = options;
    this.executorType = options.executorType;
    this.id = options.id ?? `${options.executorType}-${randomUUID().slice(0, 8)}`;
    this.groupId = options.groupId ?? options.config.consumer.groupId;
    this.groupProtocol = chooseGroupProtocol(options.groupProtocol);
    this.dialect = options.dialect ?? 'spec';
    const keep = options.keepAnswered ?? Number.POSITIVE_INFINITY;
    if (!(keep === Number.POSITIVE_INFINITY || (Number.isInteger(keep) && keep >= 0))) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `FakeExecutor keepAnswered = ${JSON.stringify(keep)} is not allowed: use an integer ≥ 0 (or leave it out to keep every task id).`,
        {
          key: 'keepAnswered',
          value: String(keep),
        },
      );
    }
    this.#keepAnswered = keep;
  }

  /** Start and resolve once the instance has joined its group. */
  static async start(options: FakeExecutorOptions): Promise<FakeExecutor> {
    const executor = new FakeExecutor(options);
    const dialect = executor.dialect;
    executor.#results = await ResultProducer.connect({ kafka: options.kafka, config: options.config, dialect });
    executor.#consumer = await TaskConsumer.start({
      kafka: options.kafka,
      config: options.config,
      dialect,
      groupId: executor.groupId,
      consumer: { groupProtocol: executor.groupProtocol },
      // One task at a time per partition, as a poll loop would; the results are not awaited one by one but
      // committed after (commitAfter): a chunk's results share produce requests.
      handlerConcurrency: options.concurrency ?? 1,
      handler: (task, context) => executor.#handle(task, context),
    });
    return executor;
  }

  stats(): ExecutorStats {
    return { ...this.#stats };
  }

  consumerStats() {
    return this.#consumer.stats();
  }

  async #handle(task: TaskMessage, record: RecordContext): Promise<void> {
    this.#stats.received++;
    if (task.targetExecutor && task.targetExecutor !== this.executorType) {
      this.#stats.skipped++;
      return; // not ours: committed and ignored, as the spec's PaymentExecutor does
    }
    const context: HandlerContext = {
      executorId: this.id,
      executorType: this.executorType,
      signal: this.#abort.signal,
    };
    const started = performance.now();
    let result: TaskResultMessage;
    try {
      const output = await this.#options.handler(task, context);
      if (isContractBreak(output)) {
        await this.#sendBroken(task, output[BREAK_CONTRACT], record);
        return;
      }
      result = this.#result(task, 'SUCCESS', started, { output });
      this.#stats.succeeded++;
    } catch (error) {
      if (error instanceof ExecutorCrash || this.#abort.signal.aborted) {
        void this.crash(); // not awaited: the consumer waits for this handler before it disconnects
        throw error; // uncommitted: the task is redelivered to whoever owns the partition next
      }
      const err = error instanceof Error ? error : new Error(String(error));
      result = this.#result(task, 'FAILURE', started, { error: { code: 'HANDLER_FAILED', message: err.message } });
      this.#stats.failed++;
    }
    // Not awaited here: the record's offset is committed once the result is acknowledged (at-least-once).
    const sent = this.#results.send(result, { traceparent: childTraceparent(record.traceparent) });
    record.commitAfter(sent);
    this.#remember(task.taskId);
  }

  #remember(taskId: string): void {
    if (this.#keepAnswered === 0) return;
    this.answered.push(taskId);
    // Trimmed in chunks: one splice per keepAnswered answers, not one shift per answer.
    if (this.answered.length >= 2 * this.#keepAnswered)
      this.answered.splice(0, this.answered.length - this.#keepAnswered);
  }

  #result(
    task: TaskMessage,
    status: TaskResultMessage['status'],
    started: number,
    extra: Partial<TaskResultMessage>,
  ): TaskResultMessage {
    return {
      taskId: task.taskId,
      runId: task.runId,
      nodeId: task.nodeId,
      attempt: task.attempt,
      token: task.token,
      status,
      executionTime: (performance.now() - started) / 1000,
      executorId: this.id,
      completedAt: instantNow(),
      ...extra,
    };
  }

  /** Publish a result that breaks the protocol, bypassing the validating producer. */
  async #sendBroken(task: TaskMessage, how: ContractBreak, record: RecordContext): Promise<void> {
    this.#stats.contractBreaks++;
    this.#raw ??= this.#options.kafka.producer({ createPartitioner: JavaCompatiblePartitioner });
    await this.#raw.connect();
    // A valid result as this executor's dialect writes it, then broken.
    const dialect = dialectNamed(this.dialect);
    const { wire: valid } = dialect.toWire('results', {
      ...this.#result(task, 'SUCCESS', performance.now(), { output: {} }),
      completedAt: instantNow(),
    });
    const { [dialect.tokenField]: _token, ...withoutToken } = valid;
    const value: Record<ContractBreak, string> = {
      'missing-token': JSON.stringify(withoutToken),
      'wrong-key': JSON.stringify(valid),
      'bad-status': JSON.stringify({ ...valid, status: 'DONE' }),
      'not-json': 'this is not JSON',
    };
    await this.#raw.send({
      topic: topicNames(this.#options.config).results,
      messages: [
        {
          key: how === 'wrong-key' ? task.taskId : task.runId,
          value: value[how],
          headers: { traceparent: childTraceparent(record.traceparent) },
        },
      ],
    });
  }

  /** Leave the group cleanly (LeaveGroup: its partitions move at once). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#abort.abort();
      await Promise.allSettled([this.#consumer?.stop(), this.#results?.stop(), this.#raw?.disconnect()]);
    })();
    return this.#stopping;
  }

  /** Die mid-task: stop without committing what is in flight; it is redelivered after the rebalance. */
  crash(): Promise<void> {
    return this.stop();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

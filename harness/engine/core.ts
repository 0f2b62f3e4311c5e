import { randomBytes, randomUUID } from 'node:crypto';
import type { GamelanKafkaConfig } from '../config/index.js';
import type { StatusUpdateMessage, TaskMessage, TaskResultMessage, WorkflowEventMessage } from '../protocol/index.js';
import { instantAt, taskIdOf } from '../protocol/index.js';
import { maxAttempts, retryDelayMs } from '../config/backoff.js';
import type { Clock } from './clock.js';
import { entryNodes, predecessors, successors, type WorkflowDefinition } from './workflow.js';

// The fake engine's brain, with no Kafka in it: runs, nodes, attempts, retries with backoff,
// timeouts and dead-lettering. It takes results in and emits what should be published; the
// Kafka side (engine.ts) publishes that. Time comes from an injectable clock.

export const WORKFLOW_EVENT_TYPES = [
  'RUN_CREATED',
  'NODE_STARTED',
  'NODE_COMPLETED',
  'NODE_FAILED',
  'NODE_RETRY_SCHEDULED',
  'NODE_DEAD_LETTERED',
  'RUN_COMPLETED',
  'RUN_FAILED',
] as const;
export type WorkflowEventType = (typeof WORKFLOW_EVENT_TYPES)[number];

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';
export type NodeStatus = 'PENDING' | 'RUNNING' | 'RETRY_SCHEDULED' | 'COMPLETED' | 'DEAD_LETTERED';

export interface NodeState {
  readonly nodeId: string;
  readonly executor: string;
  status: NodeStatus;
  attempt: number;
  task?: TaskMessage;
  output?: Record<string, unknown>;
  lastError?: string;
}

export interface RunState {
  readonly runId: string;
  readonly workflowId: string;
  readonly tenantId: string;
  readonly context: Record<string, unknown>;
  status: RunStatus;
  readonly nodes: Map<string, NodeState>;
  readonly createdAt: number;
  endedAt?: number;
}

export type EngineOutput =
  | { readonly kind: 'task'; readonly message: TaskMessage }
  | { readonly kind: 'event'; readonly message: WorkflowEventMessage }
  | { readonly kind: 'status'; readonly message: StatusUpdateMessage }
  | { readonly kind: 'dead-letter'; readonly task: TaskMessage; readonly reason: string; readonly cause: string };

/** What became of a result handed to the engine. */
export type ResultOutcome = 'applied' | 'duplicate' | 'stale' | 'unknown-run' | 'token-mismatch';

export interface EngineCoreOptions {
  readonly workflows: ReadonlyMap<string, WorkflowDefinition>;
  readonly dlq: GamelanKafkaConfig['dlq'];
  readonly clock: Clock;
  readonly emit: (output: EngineOutput) => void;
  /** Called once when a run completes or fails, after its last outputs were emitted. */
  readonly onRunEnded?: (run: RunState) => void;
  /** Who the events say acted (default `gamelan-fake-engine`). */
  readonly actorId?: string;
}

export interface StartRunOptions {
  readonly tenantId: string;
  readonly context?: Record<string, unknown>;
  readonly runId?: string;
}

/** Random hex from a pooled buffer: one randomBytes call per 256 tokens instead of one per task. */
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(4_096);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + bytes);
  poolAt += bytes;
  return hex;
}

export class EngineCore {
  readonly #options: EngineCoreOptions;
  readonly #runs = new Map<string, RunState>();
  /** taskIds whose result was applied: a second result for the same task and attempt changes nothing. */
  readonly #applied = new Set<string>();
  /** taskIds whose attempt timed out: a result arriving later is stale. */
  readonly #timedOut = new Set<string>();
  readonly #timers = new Map<string, () => void>();
  readonly counts = { duplicate: 0, stale: 0, unknownRun: 0, tokenMismatch: 0 };

  constructor(options: EngineCoreOptions) {
    this.#options = options;
  }

  startRun(workflowId: string, options: StartRunOptions): RunState {
    const workflow = this.#workflow(workflowId);
    const run: RunState = {
      runId: options.runId ?? `run-${randomUUID()}`,
      workflowId,
      tenantId: options.tenantId,
      context: options.context ?? {},
      status: 'RUNNING',
      nodes: new Map(
        workflow.nodes.map((n) => [n.id, { nodeId: n.id, executor: n.executor, status: 'PENDING', attempt: 0 }]),
      ),
      createdAt: this.#options.clock.now(),
    };
    this.#runs.set(run.runId, run);
    this.#event(run, 'RUN_CREATED', { workflowId, tenantId: run.tenantId, nodes: workflow.nodes.length });
    this.#status(run, 'RUNNING', { workflowId });
    for (const node of entryNodes(workflow)) this.#dispatch(run, node.id, 1);
    return run;
  }

  onResult(result: TaskResultMessage): ResultOutcome {
    const run = this.#runs.get(result.runId);
    if (!run) {
      this.counts.unknownRun += 1;
      return 'unknown-run';
    }
    if (this.#applied.has(result.taskId)) {
      this.counts.duplicate += 1;
      return 'duplicate';
    }
    const node = run.nodes.get(result.nodeId);
    if (
      this.#timedOut.has(result.taskId) ||
      !node ||
      node.status !== 'RUNNING' ||
      node.attempt !== result.attempt ||
      run.status !== 'RUNNING'
    ) {
      this.counts.stale += 1; // a late result for an attempt that timed out, or for a finished run
      return 'stale';
    }
    if (node.task && node.task.token !== result.token) {
      this.counts.tokenMismatch += 1;
      return 'token-mismatch';
    }
    this.#applied.add(result.taskId);
    this.#cancelTimer(result.taskId);
    if (result.status === 'SUCCESS') this.#complete(run, node, result);
    else this.#fail(run, node, result.status, result.error?.message ?? `status ${result.status}`);
    return 'applied';
  }

  runs(): readonly RunState[] {
    return [...this.#runs.values()];
  }

  run(runId: string): RunState | undefined {
    return this.#runs.get(runId);
  }

  /**
   * Drop an ended run and what the core kept of its tasks; returns the ids of its tasks (every attempt). A result
   * for it arriving later counts as an unknown run. A running run is kept (undefined).
   */
  forget(runId: string): readonly string[] | undefined {
    const run = this.#runs.get(runId);
    if (!run || run.status === 'RUNNING') return undefined;
    this.#runs.delete(runId);
    const taskIds = [...run.nodes.values()].flatMap((node) =>
      Array.from({ length: node.attempt }, (_, i) => taskIdOf(runId, node.nodeId, i + 1)),
    );
    for (const taskId of taskIds) {
      this.#applied.delete(taskId);
      this.#timedOut.delete(taskId);
      this.#cancelTimer(`${taskId}#retry`);
    }
    return taskIds;
  }

  /** Cancel pending retries and timeouts (engine stop). */
  dispose(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  #workflow(workflowId: string): WorkflowDefinition {
    const workflow = this.#options.workflows.get(workflowId);
    if (!workflow)
      throw new Error(`Unknown workflow "${workflowId}"; known: ${[...this.#options.workflows.keys()].join(', ')}`);
    return workflow;
  }

  #dispatch(run: RunState, nodeId: string, attempt: number): void {
    const workflow = this.#workflow(run.workflowId);
    const definition = workflow.nodes.find((n) => n.id === nodeId)!;
    const node = run.nodes.get(nodeId)!;
    const upstream = Object.fromEntries(predecessors(workflow, nodeId).map((p) => [p, run.nodes.get(p)?.output ?? {}]));
    const task: TaskMessage = {
      taskId: taskIdOf(run.runId, nodeId, attempt),
      runId: run.runId,
      nodeId,
      attempt,
      token: randomHex(16),
      context: { ...run.context, tenantId: run.tenantId, upstream },
      targetExecutor: definition.executor,
      createdAt: this.#instant(),
    };
    node.status = 'RUNNING';
    node.attempt = attempt;
    node.task = task;
    this.#event(run, 'NODE_STARTED', { nodeId, attempt, taskId: task.taskId, executor: definition.executor });
    this.#options.emit({ kind: 'task', message: task });
    this.#timers.set(
      task.taskId,
      this.#options.clock.schedule(definition.timeoutMs, () => {
        this.#timers.delete(task.taskId);
        if (node.status === 'RUNNING' && node.attempt === attempt && run.status === 'RUNNING') {
          this.#timedOut.add(task.taskId); // a result arriving after the timeout is stale
          this.#fail(run, node, 'TIMEOUT', `no result within ${definition.timeoutMs} ms`);
        }
      }),
    );
  }

  #complete(run: RunState, node: NodeState, result: TaskResultMessage): void {
    node.status = 'COMPLETED';
    node.output = result.output ?? {};
    this.#event(run, 'NODE_COMPLETED', {
      nodeId: node.nodeId,
      attempt: node.attempt,
      taskId: result.taskId,
      executorId: result.executorId ?? null,
    });
    const workflow = this.#workflow(run.workflowId);
    for (const next of successors(workflow, node.nodeId)) {
      const ready = predecessors(workflow, next).every((p) => run.nodes.get(p)?.status === 'COMPLETED');
      if (ready && run.nodes.get(next)?.status === 'PENDING') this.#dispatch(run, next, 1);
    }
    if ([...run.nodes.values()].every((n) => n.status === 'COMPLETED')) {
      run.status = 'COMPLETED';
      run.endedAt = this.#options.clock.now();
      const durationMs = run.endedAt - run.createdAt;
      this.#event(run, 'RUN_COMPLETED', { status: 'SUCCESS', durationMs });
      this.#status(run, 'COMPLETED', { durationMs });
      this.#options.onRunEnded?.(run);
    }
  }

  #fail(run: RunState, node: NodeState, status: 'FAILURE' | 'TIMEOUT', reason: string): void {
    node.lastError = reason;
    this.#event(run, 'NODE_FAILED', { nodeId: node.nodeId, attempt: node.attempt, status, reason });
    const task = node.task!;
    if (node.attempt < maxAttempts(this.#options.dlq)) {
      const retry = node.attempt; // the first retry follows attempt 1
      const delayMs = retryDelayMs(this.#options.dlq, retry);
      node.status = 'RETRY_SCHEDULED';
      this.#event(run, 'NODE_RETRY_SCHEDULED', { nodeId: node.nodeId, attempt: node.attempt + 1, delayMs, reason });
      const key = `${task.taskId}#retry`;
      this.#timers.set(
        key,
        this.#options.clock.schedule(delayMs, () => {
          this.#timers.delete(key);
          if (run.status === 'RUNNING') this.#dispatch(run, node.nodeId, node.attempt + 1);
        }),
      );
      return;
    }
    node.status = 'DEAD_LETTERED';
    const cause = `${node.nodeId} failed ${node.attempt} time(s) (max-retries ${this.#options.dlq.maxRetries}): ${reason}`;
    this.#event(run, 'NODE_DEAD_LETTERED', { nodeId: node.nodeId, attempt: node.attempt, reason: cause });
    if (this.#options.dlq.enabled)
      this.#options.emit({
        kind: 'dead-letter',
        task,
        reason: status === 'TIMEOUT' ? 'TASK_TIMED_OUT' : 'HANDLER_FAILED',
        cause,
      });
    run.status = 'FAILED';
    run.endedAt = this.#options.clock.now();
    this.#event(run, 'RUN_FAILED', { status: 'FAILED', failedNode: node.nodeId, reason: cause });
    this.#status(run, 'FAILED', { failedNode: node.nodeId, reason: cause });
    this.#options.onRunEnded?.(run);
  }

  #cancelTimer(key: string): void {
    this.#timers.get(key)?.();
    this.#timers.delete(key);
  }

  #event(run: RunState, eventType: WorkflowEventType, payload: Record<string, unknown>): void {
    this.#options.emit({
      kind: 'event',
      message: {
        eventId: randomUUID(),
        runId: run.runId,
        eventType,
        payload,
        timestamp: this.#instant(),
        actorId: this.#options.actorId ?? 'gamelan-fake-engine',
      },
    });
  }

  #status(run: RunState, status: RunStatus, data: Record<string, unknown>): void {
    this.#options.emit({
      kind: 'status',
      message: {
        runId: run.runId,
        tenantId: run.tenantId,
        status,
        data: { workflowId: run.workflowId, ...data },
        timestamp: this.#instant(),
      },
    });
  }

  #instant(): string {
    return instantAt(this.#options.clock.now());
  }
}

import type { StartedBroker } from '../brokers/types.js';
import type { ClientKind, GroupProtocol } from '../clients/client-api.js';
import type { GamelanKafkaConfig } from '../config/index.js';
import { executorEnvironment, ExecutorProcess } from '../contract/process.js';
import { waitForGroupJoin } from '../contract/group.js';
import type { WorkflowDefinition } from '../engine/workflow.js';
import { handlerFor } from '../executors/behaviour-spec.js';
import { openWorkspace, type RemoveWhenStopped } from '../workspace/index.js';
import { driveLoad, type LoadProgress, type LoadReport } from './drive.js';
import { startObserverThread } from './observer-thread.js';

/** Ended runs the load run's engine keeps (the report reads the events topic, not the engine's memory). */
export const KEEP_ENDED_RUNS = 1_000;

// One load run on a broker the caller owns: its own workspace (topics and groups under a fresh prefix),
// the fake engine with a one-node workflow for the executor type, the executors (in-process fakes or
// the author's process), the completion observer, the drive, and everything stopped again.

export interface RunLoadOptions {
  readonly broker: StartedBroker;
  /** On a cluster the caller did not start: remove the run's topics and groups when it ends. */
  readonly removeWhenStopped?: RemoveWhenStopped;
  readonly config: GamelanKafkaConfig;
  /** The executor type the tasks target (default `load-executor`). */
  readonly executorType?: string;
  /** In-process fake executors (default 3), ignored when executorCommand is given. */
  readonly executors?: number;
  /** Their behaviour: `succeed`, `slow:<ms>`, `fail-times:<n>`, `always-fail` (default succeed). */
  readonly behaviour?: string;
  /** A real executor: a shell command reading GAMELAN_* from its environment (as `contract` starts it). */
  readonly executorCommand?: string;
  readonly joinTimeoutMs?: number;
  /** Per-task timeout of the one-node workflow (default 30 s). */
  readonly taskTimeoutMs?: number;
  readonly runs?: number;
  readonly durationMs?: number;
  readonly rate?: number;
  readonly maxInFlight?: number;
  readonly drainTimeoutMs?: number;
  /** Every task's context (what a real executor needs); `row` is set to the run's index. */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly onStep?: (message: string) => void;
  readonly onExecutorOutput?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface LoadRunReport extends LoadReport {
  readonly executor: string;
  readonly executors: number;
  /** The Kafka client the engine and fake executors ran on, and their consumer group protocol. */
  readonly client: ClientKind;
  readonly groupProtocol: GroupProtocol;
}

export async function runLoad(options: RunLoadOptions): Promise<LoadRunReport> {
  const executorType = options.executorType ?? 'load-executor';
  const workflow: WorkflowDefinition = {
    id: 'load',
    description: `One task for ${executorType}`,
    nodes: [{ id: 'task', executor: executorType, timeoutMs: options.taskTimeoutMs ?? 30_000 }],
    edges: [],
  };
  await using workspace = await openWorkspace(options.broker, options.config, {
    name: 'load',
    ...(options.removeWhenStopped ? { removeWhenStopped: options.removeWhenStopped } : {}),
  });
  const group = workspace.config.consumer.groupId;
  const executors = options.executorCommand ? 1 : (options.executors ?? 3);
  let executor: string;
  if (options.executorCommand) {
    options.onStep?.(`starting the executor: ${options.executorCommand}`);
    const child = workspace.own(
      ExecutorProcess.start({
        command: options.executorCommand,
        env: executorEnvironment({
          kafka: workspace.kafka,
          bootstrapServers: workspace.bootstrapServers,
          config: workspace.config,
          topics: workspace.topics,
          groupId: group,
          executorType,
          security: workspace.broker.security,
        }),
        ...(options.onExecutorOutput ? { onLine: options.onExecutorOutput } : {}),
      }),
    );
    await waitForGroupJoin(workspace.admin, group, {
      timeoutMs: options.joinTimeoutMs ?? 60_000,
      gone: () => child.exited(),
      describe: () => `\nIts output:\n${child.outputTail()}`,
    });
    executor = options.executorCommand;
  } else {
    const behaviour = options.behaviour ?? 'succeed';
    const handler = handlerFor(behaviour, '--behaviour');
    options.onStep?.(`starting ${executors} fake executor(s) (${behaviour})`);
    // keepAnswered 0: nobody reads their answered lists here, and a long load would grow them without bound.
    await Promise.all(
      Array.from({ length: executors }, () => workspace.startExecutor({ executorType, handler, keepAnswered: 0 })),
    );
    executor = `${executors} fake executor(s), ${behaviour}`;
  }
  // A load run may start millions of runs: the engine keeps only the latest ended ones (its memory stays flat).
  const engine = await workspace.startEngine({
    workflows: new Map([[workflow.id, workflow]]),
    keepEndedRuns: KEEP_ENDED_RUNS,
  });
  const observer = workspace.own(
    await startObserverThread({
      bootstrapServers: workspace.bootstrapServers,
      security: workspace.broker.security,
      topic: workspace.topics.events,
    }),
  );
  options.onStep?.(
    `driving ${options.runs !== undefined ? `${options.runs} tasks` : `for ${options.durationMs} ms`} ${options.rate === undefined ? 'as fast as possible' : `at ${options.rate}/s`}`,
  );
  const report = await driveLoad({
    engine,
    admin: workspace.admin,
    observer,
    executorGroup: group,
    tasksTopic: workspace.topics.tasks,
    workflowId: workflow.id,
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
    ...(options.rate === undefined ? {} : { rate: options.rate }),
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
    ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...report, executor, executors, client: workspace.client, groupProtocol: workspace.groupProtocol };
}

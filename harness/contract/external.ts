import type { StartedBroker } from '../brokers/types.js';
import type { GamelanKafkaConfig } from '../config/index.js';
import type { Recording } from '../recorder/recording.js';
import { type BrokerSource, onBroker } from '../stack/on-broker.js';
import { type ContractCase, type ContractCaseOptions, contractCases } from './cases.js';
import { waitForGroupJoin } from './group.js';
import { ExecutorProcess, executorEnvironment } from './process.js';
import { type ContractReport, contractRunSettings, type RunContractOptions, runContract } from './run.js';

/** What an external executor's contract run needs besides the broker and the base configuration. */
export interface ExecutorContractRun extends Omit<ContractCaseOptions, 'executorType'> {
  /** The executor's start command (a shell command line). */
  readonly command: string;
  readonly executorType: string;
  readonly cwd?: string;
  /** On a cluster the caller did not start: remove the run's topics and groups when it ends. */
  readonly removeWhenStopped?: RunContractOptions['removeWhenStopped'];
  readonly cases?: readonly ContractCase[];
  /** How long the executor may take to join its group (default 60 s: JVM start included). */
  readonly joinTimeoutMs?: number;
  /** Compatibility cases (in spec: tasks with the upstream Java names) fail the run too (default false: notes). */
  readonly strictCompat?: boolean;
  /** Every "should" fails the run (default false: a warning): an unreadable record dropped without a trace. */
  readonly strict?: boolean;
  readonly answerTimeoutMs?: number;
  readonly settleMs?: number;
  /** Each line the executor prints. */
  readonly onOutput?: (line: string) => void;
  readonly onProgress?: (message: string) => void;
  /** Given what a recorder saw of the run, for the HTML report. */
  readonly onRecording?: (recording: Recording) => void;
}

/** A running broker (`broker`), or a stack started for the run (`stack` options) and stopped afterwards. */
export interface ExecutorContractOptions extends ExecutorContractRun, BrokerSource {}

/** checkExecutorContract on the given broker, or on a stack started for it and stopped afterwards. */
export function checkExecutorContract(options: ExecutorContractOptions): Promise<ContractReport> {
  return onBroker(options, (broker, config) => runExecutorContract(broker, config, options));
}

/**
 * The contract for an executor in any language, on a broker the caller owns: start it as a child process
 * with the connection in its environment, wait until it has joined its group, send the cases, check the
 * results, stop it. Throws ContractError CONTRACT_EXECUTOR_NOT_JOINED (with its last output) when it never joins.
 */
export async function runExecutorContract(
  broker: StartedBroker,
  config: GamelanKafkaConfig,
  options: ExecutorContractRun,
): Promise<ContractReport> {
  const cases = options.cases ?? contractCases(options);
  const admin = await broker.admin();
  return runContract({
    broker,
    config,
    executorType: options.executorType,
    cases,
    ...(options.removeWhenStopped ? { removeWhenStopped: options.removeWhenStopped } : {}),
    ...contractRunSettings({
      dialect: options.dialect,
      strictCompat: options.strictCompat,
      strict: options.strict,
      answerTimeoutMs: options.answerTimeoutMs,
      settleMs: options.settleMs,
      onProgress: options.onProgress,
      onRecording: options.onRecording,
    }),
    start: async (connection) => {
      const executor = ExecutorProcess.start({
        command: options.command,
        env: executorEnvironment(connection),
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.onOutput ? { onLine: options.onOutput } : {}),
      });
      try {
        await waitForGroupJoin(admin, connection.groupId, {
          timeoutMs: options.joinTimeoutMs ?? 60_000,
          gone: () => executor.exited(),
          describe: () => `\nExecutor command: ${options.command}\nIts last output:\n${executor.outputTail()}`,
        });
      } catch (error) {
        await executor.stop();
        throw error;
      }
      return executor;
    },
  });
}

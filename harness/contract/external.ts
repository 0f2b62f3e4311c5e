import type { StartedBroker } from '../brokers/types.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig } from '../config/index.js';
import { type StackOptions, startStack } from '../stack/start-stack.js';
import { type ContractCase, type ContractCaseOptions, contractCases } from './cases.js';
import { waitForGroupJoin } from './group.js';
import { ExecutorProcess, executorEnvironment } from './process.js';
import { type ContractReport, runContract } from './run.js';

export interface ExecutorContractOptions extends Omit<ContractCaseOptions, 'executorType'> {
  /** The executor's start command (a shell command line). */
  readonly command: string;
  readonly executorType: string;
  readonly cwd?: string;
  readonly broker?: StartedBroker;
  readonly stack?: StackOptions;
  readonly config?: GamelanKafkaConfig;
  readonly cases?: readonly ContractCase[];
  /** How long the executor may take to join its group (default 60 s: JVM start included). */
  readonly joinTimeoutMs?: number;
  readonly answerTimeoutMs?: number;
  readonly settleMs?: number;
  /** Each line the executor prints. */
  readonly onOutput?: (line: string) => void;
  readonly onProgress?: (message: string) => void;
}

/**
 * The contract for an executor in any language: start it as a child process with the connection in its
 * environment, wait until it has joined its group, send the cases, check the results, stop it.
 * Throws ContractError CONTRACT_EXECUTOR_NOT_JOINED (with its last output) when it never joins.
 */
export async function checkExecutorContract(options: ExecutorContractOptions): Promise<ContractReport> {
  const cases = options.cases ?? contractCases(options);
  const stack = options.broker ? undefined : await startStack(options.stack);
  try {
    const broker = options.broker ?? stack!.broker;
    const admin = await broker.admin();
    return await runContract({
      broker,
      config: options.config ?? stack?.config.gamelan ?? DEFAULT_CONFIG,
      executorType: options.executorType,
      cases,
      ...(options.answerTimeoutMs === undefined ? {} : { answerTimeoutMs: options.answerTimeoutMs }),
      ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
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
  } finally {
    await stack?.stop();
  }
}

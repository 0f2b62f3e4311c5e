import { execa, type ResultPromise } from 'execa';
import { ContractError } from '../errors.js';
import { registerCleanup } from '../lifecycle/index.js';
import { topicNames } from '../config/index.js';
import { redactSecrets } from '../config/secrets.js';
import { executorSecurityEnvironment } from '../config/security.js';
import { microProfileEnvironment } from '../config/quarkus.js';
import type { ContractConnection, StartedContractTarget } from './run.js';

/**
 * The environment an external executor gets: the names executor authors read (docs/executor-contract.md), and the
 * MicroProfile names of the Java channels (KAFKA_BOOTSTRAP_SERVERS, MP_MESSAGING_INCOMING_WORKFLOW_TASKS_TOPIC,
 * …_GROUP_ID, MP_MESSAGING_OUTGOING_WORKFLOW_RESULTS_TOPIC, …), so a Quarkus executor runs unchanged — in the
 * upstream dialect, and in spec too (where it is then judged as the README reads results).
 */
export function executorEnvironment(connection: ContractConnection): Record<string, string> {
  const servers = connection.bootstrapServers.join(',');
  const topics = topicNames(connection.config);
  return {
    GAMELAN_KAFKA_BOOTSTRAP_SERVERS: servers,
    GAMELAN_TASKS_TOPIC: topics.tasks,
    GAMELAN_RESULTS_TOPIC: topics.results,
    GAMELAN_DLQ_TOPIC: topics.dlq,
    GAMELAN_EVENTS_TOPIC: topics.events,
    GAMELAN_STATUS_TOPIC: topics.status,
    GAMELAN_GROUP_ID: connection.groupId,
    GAMELAN_EXECUTOR_TYPE: connection.executorType,
    // The same, as Quarkus maps environment variables onto kafka.* and gamelan.kafka.* properties.
    KAFKA_BOOTSTRAP_SERVERS: servers,
    KAFKA_GROUP_ID: connection.groupId,
    GAMELAN_KAFKA_TASKS_TOPIC: topics.tasks,
    GAMELAN_KAFKA_RESULTS_TOPIC: topics.results,
    GAMELAN_KAFKA_DLQ_TOPIC: topics.dlq,
    GAMELAN_KAFKA_EVENTS_TOPIC: topics.events,
    GAMELAN_KAFKA_STATUS_TOPIC: topics.status,
    GAMELAN_KAFKA_CONSUMER_GROUP_ID: connection.groupId,
    // Secure brokers: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_* (Quarkus names).
    ...executorSecurityEnvironment(connection.security),
    ...microProfileEnvironment({ bootstrapServers: connection.bootstrapServers, topics, groupId: connection.groupId }),
  };
}

export interface ExecutorProcessOptions {
  /** A shell command line, e.g. `java -jar target/my-executor.jar`. */
  readonly command: string;
  readonly cwd?: string;
  readonly env: Record<string, string>;
  /** Every output line, as it comes (e.g. to echo it). */
  readonly onLine?: (line: string) => void;
  /** Lines kept for messages (default 40). */
  readonly tailLines?: number;
  /** How long SIGTERM may take before SIGKILL (default 10 s). */
  readonly stopGraceMs?: number;
}

/**
 * The executor as a child process in its own process group: stopped (SIGTERM, then SIGKILL) as a whole
 * group on every path — stop(), harness signals and crashes (registered with the lifecycle), and exit.
 */
export class ExecutorProcess implements StartedContractTarget, AsyncDisposable {
  readonly pid: number;
  #exit: { code: number | undefined; signal: string | undefined } | undefined;
  readonly #tail: string[] = [];
  readonly #done: Promise<unknown>;
  readonly #unregister: () => void;
  #stopping: Promise<void> | undefined;

  private constructor(
    private readonly child: ResultPromise,
    private readonly options: ExecutorProcessOptions,
  ) {
    if (child.pid === undefined)
      throw new ContractError('CONTRACT_EXECUTOR_START_FAILED', `could not start the executor: ${options.command}`);
    this.pid = child.pid;
    let partial = '';
    child.all?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.#line(line);
    });
    this.#done = child.then((result) => {
      if (partial) this.#line(partial);
      this.#exit = { code: result.exitCode, signal: result.signal };
    });
    this.#unregister = registerCleanup({
      name: `executor (${options.command}, pid ${this.pid})`,
      stop: () => this.stop(),
      killSync: () => this.#kill('SIGKILL'),
    });
  }

  static start(options: ExecutorProcessOptions): ExecutorProcess {
    const child = execa(options.command, {
      shell: true,
      detached: true, // its own process group, so the whole tree is stopped
      cleanup: false, // the lifecycle registry does it, for the group
      env: options.env,
      extendEnv: true,
      cwd: options.cwd,
      all: true,
      buffer: false,
      stdin: 'ignore',
      reject: false,
    });
    return new ExecutorProcess(child, options);
  }

  #line(raw: string): void {
    const line = redactSecrets(raw); // an executor may print its configuration
    this.#tail.push(line);
    if (this.#tail.length > (this.options.tailLines ?? 40)) this.#tail.shift();
    this.options.onLine?.(line);
  }

  /** Why it is gone, or undefined while it runs. */
  exited(): string | undefined {
    if (!this.#exit) return undefined;
    return this.#exit.signal
      ? `the executor was killed by ${this.#exit.signal}`
      : `the executor exited with code ${String(this.#exit.code)}`;
  }

  outputTail(): string {
    return this.#tail.length === 0 ? '(no output)' : this.#tail.map((l) => `  | ${l}`).join('\n');
  }

  /** SIGTERM to the group, SIGKILL after the grace period; idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (!this.#exit) {
        this.#kill('SIGTERM');
        const grace = new Promise((resolve) => setTimeout(resolve, this.options.stopGraceMs ?? 10_000).unref());
        await Promise.race([this.#done, grace]);
      }
      this.#kill('SIGKILL'); // whatever is left in the group (grandchildren of a shell, a JVM that ignored TERM)
      await Promise.race([this.#done, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      this.#unregister();
    })();
    return this.#stopping;
  }

  #kill(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

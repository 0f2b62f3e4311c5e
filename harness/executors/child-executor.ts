import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ClientKind } from '../clients/client-api.js';
import { CLIENT_ENV } from '../clients/client-choice.js';
import type { GroupProtocol } from '../clients/client-api.js';
import { chooseGroupProtocol, GROUP_PROTOCOL_ENV } from '../clients/group-protocol-choice.js';
import type { GamelanKafkaConfig } from '../config/index.js';
import { redactSecrets } from '../config/secrets.js';
import { type ClientSecurity, executorSecurityEnvironment } from '../config/security.js';
import { HarnessError } from '../errors.js';
import { registerCleanup } from '../lifecycle/index.js';
import type { DialectName } from '../vocabulary.js';

export interface ChildExecutorOptions {
  readonly bootstrapServers: readonly string[];
  readonly config: GamelanKafkaConfig;
  readonly executorType: string;
  readonly groupId?: string;
  /** `succeed`, `slow:<ms>`, `fail-times:<n>`, `always-fail` (default succeed). */
  readonly behaviour?: string;
  /** How long to wait for it to join its group (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** The wire dialect it reads and writes (default `spec`). */
  readonly dialect?: DialectName;
  /** The group protocol it joins with (default GAMELAN_KAFKA_GROUP_PROTOCOL, else classic). */
  readonly groupProtocol?: GroupProtocol;
  /** Send its connections through proxies: broker `host:port` → proxy `host:port` (a fault lane's `NetworkFaults.routes()`). */
  readonly routes?: Readonly<Record<string, string>>;
  /** How to connect (the broker's `security`); default plaintext. Handed over as KAFKA_SECURITY_PROTOCOL and friends. */
  readonly security?: ClientSecurity;
  /** The client library it runs on (handed over as GAMELAN_KAFKA_CLIENT); default: this process's choice. */
  readonly client?: ClientKind;
}

/** A fake executor in a child process: it can be killed for real. */
export interface ChildExecutor extends AsyncDisposable {
  readonly id: string;
  readonly pid: number;
  /** `kill -9`: a real crash (no LeaveGroup, nothing committed). */
  crash(): Promise<void>;
  /** SIGTERM: it leaves its group and exits. */
  stop(): Promise<void>;
}

const entry = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './child-main.ts' : './child-main.js', import.meta.url),
);

export async function startChildExecutor(options: ChildExecutorOptions): Promise<ChildExecutor> {
  const id = `${options.executorType}-child-${randomUUID().slice(0, 8)}`;
  const child: ChildProcess = spawn(process.execPath, [...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GAMELAN_KAFKA_BOOTSTRAP_SERVERS: options.bootstrapServers.join(','),
      GAMELAN_CONFIG_JSON: JSON.stringify(options.config),
      GAMELAN_EXECUTOR_TYPE: options.executorType,
      GAMELAN_GROUP_ID: options.groupId ?? options.config.consumer.groupId,
      GAMELAN_EXECUTOR_ID: id,
      GAMELAN_EXECUTOR_BEHAVIOUR: options.behaviour ?? 'succeed',
      GAMELAN_DIALECT: options.dialect ?? 'spec',
      ...(options.client ? { [CLIENT_ENV]: options.client } : {}),
      [GROUP_PROTOCOL_ENV]: chooseGroupProtocol(options.groupProtocol),
      ...(options.routes ? { GAMELAN_KAFKA_ROUTES: JSON.stringify(options.routes) } : {}),
      ...executorSecurityEnvironment(options.security),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const unregister = registerCleanup({
    name: `child executor ${id}`,
    stop: () => stop(),
    killSync: () => void child.kill('SIGKILL'),
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = redactSecrets((stderr + chunk.toString()).slice(-4_000))));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    unregister();
  };
  const stop = () => end('SIGTERM');
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not join its group within ${timeoutMs} ms`)), timeoutMs);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('"ready":true')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited with ${child.exitCode ?? child.signalCode} before it was ready`));
      });
    });
  } catch (error) {
    await end('SIGKILL');
    throw new HarnessError('TIMEOUT', `Child executor ${id} ${(error as Error).message}. Its output:\n${stderr}`, {
      cause: error,
    });
  }
  return { id, pid: child.pid!, crash: () => end('SIGKILL'), stop, [Symbol.asyncDispose]: stop };
}

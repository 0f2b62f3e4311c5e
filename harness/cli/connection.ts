import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Argv } from 'yargs';
import { type GamelanKafkaConfig, loadConfig } from '../config/index.js';
import { runningBootstrapServers, stateFilePath } from './state.js';

/** Options of the commands that talk to a running cluster (the one from `up`, or any). */
export function withClusterOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('bootstrap-servers', { type: 'string', describe: 'host:port[,…] (default: GAMELAN_KAFKA_BOOTSTRAP_SERVERS, then the harness from `up`)' })
    .option('state-file', { type: 'string', describe: 'State file written by `up`' })
    .option('config', { type: 'string', describe: 'Gamelan configuration naming the topics (default: the spec defaults)' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' });
}

export interface ClusterArgs {
  bootstrapServers?: string | undefined;
  stateFile?: string | undefined;
  config?: string | undefined;
  json: boolean;
}

export interface ClusterConnection extends AsyncDisposable {
  readonly brokers: readonly string[];
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly config: GamelanKafkaConfig;
  close(): Promise<void>;
}

/** Connect an admin client to the running cluster the arguments name. */
export async function connectToCluster(argv: ClusterArgs, clientId: string): Promise<ClusterConnection> {
  const config = loadConfig(argv.config).gamelan;
  const brokers = runningBootstrapServers(argv.bootstrapServers, stateFilePath(argv.stateFile));
  const kafka = new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const close = () => admin.disconnect();
  return { brokers, kafka, admin, config, close, [Symbol.asyncDispose]: close };
}

import type { Argv } from 'yargs';
import { PROVIDER_KINDS, type ProviderKind } from '../brokers/types.js';
import type { StackOptions } from '../stack/start-stack.js';

/** The options every command that boots or reaches a broker shares. */
export function withBrokerOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('kafka', {
      choices: PROVIDER_KINDS,
      default: 'auto' as ProviderKind,
      describe: 'Broker provider (auto: external if GAMELAN_KAFKA_BOOTSTRAP_SERVERS is set, else container if Docker answers, else native)',
    })
    .option('config', { type: 'string', describe: 'Gamelan application.properties or application.yaml (default: the spec defaults)' })
    .option('brokers', { type: 'number', default: 1, describe: 'KRaft nodes to start (1 or 3)' })
    .option('port', { type: 'number', describe: 'Pin the first client port (default: a free loopback port)' })
    .option('data-dir', { type: 'string', describe: 'Keep the broker log here across restarts (default: a temp dir removed on exit)' })
    .option('kafka-version', { type: 'string', describe: 'Apache Kafka version for the native/container provider' })
    .option('image', { type: 'string', describe: 'Container image for the container provider' })
    .option('bootstrap-servers', { type: 'string', describe: 'host:port[,host:port] of an existing cluster (external provider)' })
    .check((argv) => {
      const brokers = argv.brokers as number;
      if (!Number.isInteger(brokers) || brokers < 1 || brokers > 9) {
        throw new Error(`--brokers ${String(argv.brokers)} is not allowed: use an integer from 1 to 9 (3 for a replicated cluster).`);
      }
      const port = argv.port as number | undefined;
      if (port !== undefined && (!Number.isInteger(port) || port < 1024 || port > 65_535)) {
        throw new Error(`--port ${String(port)} is not allowed: use an integer from 1024 to 65535.`);
      }
      return true;
    });
}

export interface BrokerArgs {
  kafka: ProviderKind;
  config?: string | undefined;
  brokers: number;
  port?: number | undefined;
  dataDir?: string | undefined;
  kafkaVersion?: string | undefined;
  image?: string | undefined;
  bootstrapServers?: string | undefined;
}

export function stackOptionsFrom(argv: BrokerArgs): StackOptions {
  return {
    kafka: argv.kafka,
    brokers: argv.brokers,
    ...(argv.config ? { configFile: argv.config } : {}),
    ...(argv.port ? { port: argv.port } : {}),
    ...(argv.dataDir ? { dataDir: argv.dataDir } : {}),
    ...(argv.kafkaVersion ? { kafkaVersion: argv.kafkaVersion } : {}),
    ...(argv.image ? { image: argv.image } : {}),
    ...(argv.bootstrapServers ? { bootstrapServers: argv.bootstrapServers.split(',').map((s) => s.trim()) } : {}),
  };
}

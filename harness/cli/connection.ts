import type { Admin, KafkaClient } from '../clients/client-api.js';
import type { Argv } from 'yargs';
import type { GamelanKafkaConfig, ApplicationConfig } from '../config/index.js';
import type { DialectName, ReadDialect } from '../vocabulary.js';
import { readConfigOptionsFrom, topicDialect } from './dialect-options.js';
import { BrokerError } from '../errors.js';
import { bootstrapServersOption, throwRejected } from './options.js';
import { type ClientArgs, withClientOption } from './client-option.js';
import { type LogArgs, logLevelName, stderrLogSink } from './log-level.js';
import { runningBootstrapServers, runningCommandConfig, stateFilePath } from './state.js';

/** How long a tool waits for the cluster to answer before it says so. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** Options of the commands that talk to a running cluster (the one from `up`, or any). */
export function withClusterOptions<T>(yargs: Argv<T>) {
  return withClientOption(yargs)
    .option(
      'bootstrap-servers',
      bootstrapServersOption('(default: GAMELAN_KAFKA_BOOTSTRAP_SERVERS, then the harness from `up`)'),
    )
    .option('state-file', { type: 'string', describe: 'State file written by `up`' })
    .option('command-config', {
      type: 'string',
      describe:
        'Kafka client.properties: how to connect (security.protocol, sasl.*, ssl.truststore.*, ssl.ca.location); default: the one `up` wrote',
    })
    .option('config', {
      type: 'string',
      describe: "Gamelan or Quarkus configuration naming the topics (default: the dialect's defaults)",
    })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' })
    .check(throwRejected);
}

export interface ClusterArgs extends LogArgs, ClientArgs {
  bootstrapServers?: readonly string[] | undefined;
  stateFile?: string | undefined;
  config?: string | undefined;
  commandConfig?: string | undefined;
  json: boolean;
  /** The tool's `--dialect` (withDialectOptions): its topic defaults apply; `auto` reads with the README's names. */
  dialect?: ReadDialect | undefined;
  /** Quarkus profile of --config (default dev). */
  profile?: string | undefined;
}

export interface ClusterConnection extends AsyncDisposable {
  readonly brokers: readonly string[];
  readonly kafka: KafkaClient;
  readonly admin: Admin;
  /** The topics and settings: --config read with --profile, the dialect's topic defaults where it names none. */
  readonly config: GamelanKafkaConfig;
  /** All --config said (Quarkus groups and bootstrap servers too). */
  readonly loaded: ApplicationConfig;
  /** The dialect whose topic defaults apply (spec for `--dialect auto`). */
  readonly dialect: DialectName;
  close(): Promise<void>;
}

/**
 * Connect an admin client to the running cluster the arguments name. The configuration and the
 * address are checked first (bad input, exit 2); a cluster that does not answer within
 * CONNECT_TIMEOUT_MS is one sentence (BROKER_UNREACHABLE, exit 1), not kafkajs's retry trace.
 */
export async function connectToCluster(argv: ClusterArgs, clientId: string): Promise<ClusterConnection> {
  const { readConfig } = await import('../config/index.js');
  // Bad input before the cluster is reached (exit 2): the file, its profile, its ${VAR}s, the dialect's topics.
  const loaded = readConfig(argv.config, readConfigOptionsFrom(argv));
  const config = loaded.gamelan;
  const stateFile = stateFilePath(argv.stateFile);
  const brokers = runningBootstrapServers(argv.bootstrapServers, stateFile);
  const commandConfig = runningCommandConfig(argv.bootstrapServers, argv.commandConfig, stateFile);
  const [{ readCommandConfig }, { securityFailure }] = await Promise.all([
    import('../config/command-config.js'),
    import('../brokers/security-failure.js'),
  ]);
  const security = commandConfig === undefined ? undefined : await readCommandConfig(commandConfig);
  const { createClient } = await import('../clients/create-client.js');
  const kafka = createClient({
    brokers,
    clientId,
    logLevel: logLevelName(argv),
    log: stderrLogSink,
    connectionTimeout: 2_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
    security,
  });
  const admin = kafka.admin();
  try {
    await withDeadline(admin.connect(), CONNECT_TIMEOUT_MS);
    // connect() can succeed on a port that only accepts TCP: ask for the cluster to be sure it is Kafka.
    await withDeadline(admin.describeCluster(), CONNECT_TIMEOUT_MS);
  } catch (error) {
    void admin.disconnect().catch(() => {});
    throw securityFailure(error, brokers, security) ?? unreachable(brokers, error);
  }
  const close = () => admin.disconnect();
  return {
    brokers,
    kafka,
    admin,
    config,
    loaded,
    dialect: topicDialect(argv.dialect),
    close,
    [Symbol.asyncDispose]: close,
  };
}

class Deadline extends Error {}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** One sentence: which address, what answered or did not, what to try. */
export function unreachable(brokers: readonly string[], error: unknown): BrokerError {
  const where = brokers.join(',');
  const what = whatHappened(error);
  return new BrokerError(
    'BROKER_UNREACHABLE',
    `Kafka at ${where} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (${what}). ` +
      'Is the harness up (`gamelan-harness up --detach`)? Otherwise check the address or pass --bootstrap-servers host:port.',
    {},
    { cause: error },
  );
}

function whatHappened(error: unknown): string {
  if (error instanceof Deadline) return 'no Kafka response in time: nothing answered, or something that is not Kafka';
  const codes = new Set<string>();
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.add(code);
    if (/timeout/i.test(e.name) || /timed? ?out/i.test(e.message)) codes.add('ETIMEDOUT');
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  if (codes.has('ECONNREFUSED')) return 'connection refused: nothing listens there';
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) return 'the host name does not resolve';
  if (codes.has('ECONNRESET') || codes.has('EPIPE'))
    return 'the connection was reset: something answered, but not as Kafka';
  if (codes.has('ETIMEDOUT')) return 'the connection timed out';
  return error instanceof Error ? error.message : String(error);
}

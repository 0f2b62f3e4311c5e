import type { Argv } from 'yargs';
import { parseBootstrapServers } from '../config/bootstrap.js';
import { BROKER_COUNT_ALLOWED, DEFAULT_BROKERS, isClientPort, parseBrokerCount } from '../config/broker-count.js';
import { PROVIDER_KINDS, type ProviderKind } from '../brokers/types.js';
import { PROVIDER_ENV_VAR, providerFromEnv } from '../brokers/provider-env.js';
import { SECURITY_MODES, type SecurityMode } from '../config/security.js';
import { ConfigError } from '../errors.js';
import { parseKafkaVersion } from '../config/kafka-version.js';
import { harnessCacheDir } from '../kafka-distribution/cache.js';
import { assertCacheDirUsable } from './output-paths.js';
import type { StackOptions } from '../stack/start-stack.js';
import { effectiveProvider } from './provider-choice.js';

/** The options every command that boots or reaches a broker shares. */
export function withBrokerOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('kafka', {
      choices: PROVIDER_KINDS,
      default: defaultProvider(),
      describe: `Broker provider (default: ${PROVIDER_ENV_VAR}, else auto: external if GAMELAN_KAFKA_BOOTSTRAP_SERVERS is set, else container if Docker answers, else native)`,
    })
    .option('config', {
      type: 'string',
      describe: 'Gamelan application.properties or application.yaml (default: the spec defaults)',
    })
    .option('brokers', {
      // No `type: 'number'`: it would turn `--brokers three` into NaN before the parser sees it.
      default: DEFAULT_BROKERS,
      describe: `KRaft nodes to start: ${BROKER_COUNT_ALLOWED}`,
      coerce: coerceWith((value) => parseBrokerCount(value, '--brokers')),
    })
    .option('port', { type: 'number', describe: 'Pin the first client port (default: a free loopback port)' })
    .option('data-dir', {
      type: 'string',
      describe: 'Keep the broker log here across restarts (default: a temp dir removed on exit)',
    })
    .option('kafka-version', {
      type: 'string',
      describe:
        'Apache Kafka version for the native/container provider (major.minor.patch; default GAMELAN_KAFKA_VERSION, else the pinned one)',
      coerce: coerceWith((value) => parseKafkaVersion(value, '--kafka-version')),
    })
    .option('image', { type: 'string', describe: 'Container image for the container provider' })
    .option(
      'bootstrap-servers',
      bootstrapServersOption(
        'of a running cluster to play on (means --kafka external; default: GAMELAN_KAFKA_BOOTSTRAP_SERVERS)',
      ),
    )
    .option('security', {
      choices: SECURITY_MODES,
      default: 'plaintext' as SecurityMode,
      describe: `What the client listeners of a broker the harness starts speak (SCRAM-SHA-512 user from ${SASL_USERNAME_ENV}, default gamelan; password from ${SASL_PASSWORD_ENV}, default random per start; TLS: a CA made per start)`,
    })
    .option('command-config', {
      type: 'string',
      describe:
        'Kafka client.properties of an external cluster (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.*, ssl.ca.location)',
    })
    .check((argv) => {
      throwRejected(argv);
      // yargs hands the default to `--brokers` given without a value: refuse it rather than start one broker.
      if (givenWithoutValue('brokers'))
        throw new Error(`--brokers (no value) is not allowed: use ${BROKER_COUNT_ALLOWED}.`);
      if (!process.argv.slice(2).some((a) => a === '--kafka' || a.startsWith('--kafka='))) providerFromEnv(); // throws for a bad value
      // A named cluster means the external provider; with one that starts a broker it is refused here (exit 2).
      checkSecurityArgs({ ...argv, kafka: effectiveProvider(argv as unknown as BrokerArgs).kind });
      if (!process.argv.slice(2).some((a) => a === '--kafka' || a.startsWith('--kafka='))) providerFromEnv(); // throws for a bad value
      // Brokers the harness starts keep jars and logs in the per-user cache: a HOME it cannot write is bad input now.
      if (argv.kafkaVersion === undefined && process.env.GAMELAN_KAFKA_VERSION !== undefined)
        parseKafkaVersion(process.env.GAMELAN_KAFKA_VERSION, 'GAMELAN_KAFKA_VERSION');
      if (argv.kafka === 'native' || argv.kafka === 'container' || argv.kafka === 'auto')
        assertCacheDirUsable(harnessCacheDir());
      const port = argv.port as number | undefined;
      if (port !== undefined && !isClientPort(port)) {
        throw new Error(`--port ${String(port)} is not allowed: use an integer from 1024 to 65535.`);
      }
      // Each broker takes the next port: the last one must still be a port.
      const brokers = typeof argv.brokers === 'number' ? argv.brokers : 1;
      if (port !== undefined && port + brokers - 1 > 65_535) {
        throw new Error(
          `--port ${port} with --brokers ${brokers} is not allowed: the brokers take ports ${port}–${port + brokers - 1}, past 65535; use a --port from 1024 to ${65_536 - brokers}.`,
        );
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
  bootstrapServers?: readonly string[] | undefined;
  security?: SecurityMode | undefined;
  commandConfig?: string | undefined;
}

/** Where the CLI takes the SASL user and password of brokers it starts (never a command-line argument: `ps` shows those). */
export const SASL_USERNAME_ENV = 'GAMELAN_KAFKA_SASL_USERNAME';
export const SASL_PASSWORD_ENV = 'GAMELAN_KAFKA_SASL_PASSWORD';

/** --security is for brokers the harness starts, --command-config for a cluster it does not. */
function checkSecurityArgs(argv: Record<string, unknown>): void {
  const kafka = argv.kafka as ProviderKind;
  const security = argv.security as SecurityMode | undefined;
  if (security && security !== 'plaintext' && (kafka === 'external' || kafka === 'compose')) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `--security ${security} is for brokers the harness starts (--kafka native or container), not --kafka ${kafka}` +
        (kafka === 'external'
          ? '; describe how to reach an external cluster with --command-config client.properties.'
          : '.'),
      { key: '--security', value: security },
    );
  }
  if (argv.commandConfig !== undefined && kafka !== 'external' && kafka !== 'auto') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `--command-config is for an external cluster (--kafka external), not --kafka ${kafka}; brokers the harness starts take --security.`,
      {
        key: '--command-config',
        value: argv.commandConfig,
      },
    );
  }
}

/** GAMELAN_KAFKA_PROVIDER when it names a provider, else auto (a bad value is reported by the check). */
function defaultProvider(): ProviderKind {
  try {
    return providerFromEnv() ?? 'auto';
  } catch {
    return 'auto';
  }
}

/** `--bootstrap-servers`, parsed by the one bootstrap parser (config/bootstrap.ts) into `host:port` entries. */
export function bootstrapServersOption(what: string) {
  return {
    type: 'string',
    describe: `host:port[,host:port] ${what}`,
    // Given twice, yargs passes an array; the parser joins it as one list.
    coerce: coerceWith((value) => parseBootstrapServers(value, '--bootstrap-servers')),
  } as const;
}

/** A value its parser refused, kept for `.check` (see coerceWith). */
class Rejected {
  constructor(readonly error: ConfigError) {}
}

/**
 * A yargs coerce from one of the shared parsers. yargs replaces an error thrown by coerce with its
 * own (losing the ConfigError, its code and exit code 2), so the refusal is kept as a value and
 * thrown again by `.check(throwRejected)`, which yargs passes on unchanged.
 */
/** `--flag` typed last or followed by another option, so it has no value (`--flag=` counts as given one). */
function givenWithoutValue(flag: string, raw: readonly string[] = process.argv.slice(2)): boolean {
  const at = raw.indexOf(`--${flag}`);
  if (at < 0) return false;
  const next = raw[at + 1];
  return next === undefined || (next.startsWith('-') && !/^-\d/.test(next));
}

function coerceWith<T>(parse: (value: unknown) => T): (value: unknown) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof ConfigError) return new Rejected(error) as unknown as T;
      throw error;
    }
  };
}

/** For `.check`: throw the ConfigError of the first option a shared parser refused. */
export function throwRejected(argv: Record<string, unknown>): true {
  for (const value of Object.values(argv)) if (value instanceof Rejected) throw value.error;
  return true;
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
    ...(argv.bootstrapServers ? { bootstrapServers: argv.bootstrapServers } : {}),
    ...(argv.security && argv.security !== 'plaintext'
      ? {
          security: {
            mode: argv.security,
            ...(process.env[SASL_USERNAME_ENV] ? { username: process.env[SASL_USERNAME_ENV] } : {}),
            ...(process.env[SASL_PASSWORD_ENV] ? { password: process.env[SASL_PASSWORD_ENV] } : {}),
          },
        }
      : {}),
    ...(argv.commandConfig ? { commandConfig: argv.commandConfig } : {}),
  };
}

import { bootstrapServersFromEnv } from '../config/bootstrap.js';
import { PROVIDER_ENV_VAR } from '../brokers/provider-env.js';
import type { ProviderKind } from '../brokers/types.js';
import { ConfigError } from '../errors.js';

// The cluster the user named wins: --bootstrap-servers, else GAMELAN_KAFKA_BOOTSTRAP_SERVERS /
// KAFKA_BOOTSTRAP_SERVERS, means the external provider for every command that needs a broker. Named together with
// a provider that starts its own broker, one of the two would be ignored: refused before anything starts.

/** Providers that start a broker of their own. */
const STARTING_PROVIDERS: readonly ProviderKind[] = ['native', 'container', 'compose'];

/** What the choice reads of a command's arguments (its BrokerArgs, cli/options.ts, which imports this module). */
export interface ProviderArgs {
  readonly kafka: ProviderKind;
  readonly bootstrapServers?: readonly string[] | undefined;
}

/** The cluster the user named, and where the name came from (a flag or a variable), if any. */
export interface NamedCluster {
  readonly servers: readonly string[];
  readonly source: string;
}

export function namedCluster(
  argv: Pick<ProviderArgs, 'bootstrapServers'>,
  env: NodeJS.ProcessEnv = process.env,
): NamedCluster | undefined {
  if (argv.bootstrapServers?.length) return { servers: argv.bootstrapServers, source: '--bootstrap-servers' };
  const fromEnv = bootstrapServersFromEnv(env);
  return fromEnv ? { servers: fromEnv.servers, source: fromEnv.variable } : undefined;
}

/**
 * The provider the command uses: `external` when a cluster is named (refused with a provider that starts a
 * broker: CONFIG_INVALID_VALUE, exit 2), else --kafka as given. For `.check` (before anything starts) and for
 * chooseCluster.
 */
export function effectiveProvider(
  argv: ProviderArgs,
  env: NodeJS.ProcessEnv = process.env,
  raw: readonly string[] = process.argv.slice(2),
): { readonly kind: ProviderKind; readonly named: NamedCluster | undefined } {
  const named = namedCluster(argv, env);
  if (named && STARTING_PROVIDERS.includes(argv.kafka)) {
    const kafkaGiven = raw.some((a) => a === '--kafka' || a.startsWith('--kafka='))
      ? `--kafka ${argv.kafka}`
      : `${PROVIDER_ENV_VAR}=${argv.kafka}`;
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${kafkaGiven} starts a broker of its own, but ${named.source} ${named.servers.join(',')} names a running cluster: one of them would be ignored. ` +
        `To test that cluster, drop ${kafkaGiven} (or use --kafka external); to start a ${argv.kafka} broker, drop ${named.source}.`,
      { key: kafkaGiven.startsWith('--') ? '--kafka' : PROVIDER_ENV_VAR, value: argv.kafka },
    );
  }
  return { kind: named ? 'external' : argv.kafka, named };
}

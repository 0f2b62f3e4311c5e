import type { ClientKind } from '../clients/client-api.js';
import { startBroker } from '../brokers/start-broker.js';
import type { StartedBroker } from '../brokers/types.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig } from '../config/index.js';
import { type StackOptions, startStack } from './start-stack.js';
import type { ClientSecurity } from '../config/security.js';

// Who owns the broker is decided here, once: a function that runs on a broker receives one; when its
// caller has none, this starts a stack for the run and stops it afterwards (the starter disposes).

/** Where a run gets its broker. */
export interface BrokerSource {
  /** A running broker the caller owns (and stops); the run only uses it. */
  readonly broker?: StartedBroker;
  /** Without a broker: a stack is started with these options (provider auto by default) and stopped when the run ends. */
  readonly stack?: StackOptions;
  /** The base gamelan.kafka.* configuration (default: the started stack's, or the spec's defaults with a given broker). */
  readonly config?: GamelanKafkaConfig;
}

/** Run `use` on the caller's broker, or on a stack started for it and stopped once `use` settles. */
export async function onBroker<T>(
  source: BrokerSource,
  use: (broker: StartedBroker, config: GamelanKafkaConfig) => Promise<T>,
): Promise<T> {
  if (source.broker) return use(source.broker, source.config ?? DEFAULT_CONFIG);
  await using stack = await startStack(source.stack);
  return await use(stack.broker, source.config ?? stack.config.gamelan);
}

/**
 * A handle on a cluster someone else started (a vitest global setup's, a CI service's): the caller owns the
 * handle, and its stop() only closes the clients; the cluster stays up.
 */
export function connectBroker(
  bootstrapServers: readonly string[],
  security?: ClientSecurity,
  client?: ClientKind,
): Promise<StartedBroker> {
  return startBroker('external', {
    bootstrapServers,
    ...(security && { clientSecurity: security }),
    ...(client && { client }),
  });
}

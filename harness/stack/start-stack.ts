import { DEFAULT_BROKERS, type ApplicationConfig, readConfig, planTopics } from '../config/index.js';
import type { ReadConfigOptions } from '../config/read.js';
import { startBroker } from '../brokers/start-broker.js';
import type { BrokerStartOptions, ProviderKind, StartedBroker } from '../brokers/types.js';
import type { ProvisionReport } from '../topics/index.js';

export interface StackOptions extends BrokerStartOptions {
  /** Broker provider; default `auto`. */
  readonly kafka?: ProviderKind;
  /** A Gamelan application.properties / application.yaml; default: the spec's defaults. */
  readonly configFile?: string;
  /** An already read configuration (wins over configFile). */
  readonly config?: ApplicationConfig;
  /** How configFile is read: the dialect whose topic defaults apply, the Quarkus profile (see ReadConfigOptions). */
  readonly read?: ReadConfigOptions;
  /** Warnings (clamped replication factor, drift) go here; default: nowhere. */
  readonly onWarning?: (message: string) => void;
}

/** A broker with the Gamelan topics provisioned on it: what `up`, `run` and tests stand on. */
export interface StartedStack extends AsyncDisposable {
  readonly broker: StartedBroker;
  readonly config: ApplicationConfig;
  readonly topics: ProvisionReport;
  stop(): Promise<void>;
}

/**
 * configuration → broker → topics. Bad configuration fails before anything starts; a failure
 * after the broker started stops it again.
 */
export async function startStack(options: StackOptions = {}): Promise<StartedStack> {
  const config = options.config ?? readConfig(options.configFile, options.read);
  const source = config.source ?? 'the spec defaults';
  const externalServers = options.bootstrapServers ?? config.kafka.bootstrapServers;
  const brokers = options.brokers ?? DEFAULT_BROKERS;
  // Known before start for brokers we start; an external cluster is checked once we see it.
  if (options.kafka !== 'external') planTopics(config.gamelan, brokers, source);

  const broker = await startBroker(
    options.kafka ?? 'auto',
    {
      ...options,
      ...(options.kafka === 'external' && externalServers ? { bootstrapServers: externalServers } : {}),
    },
    { config: config.gamelan },
  ); // compose's one-shot service creates the configured topics
  try {
    const plan = planTopics(config.gamelan, broker.brokerCount, source);
    for (const warning of plan.warnings) options.onWarning?.(warning);
    // Imported once the broker runs: its client (kafkajs) loads while the broker boots.
    const { provisionTopics } = await import('../topics/index.js');
    const topics = await provisionTopics(await broker.admin(), plan.topics);
    for (const d of topics.drift) {
      options.onWarning?.(
        `topic ${d.topic} differs from the configuration: ${d.field} is ${d.actual ?? 'unset'}, configured ${d.expected}`,
      );
    }
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await broker.stop();
    };
    return { broker, config, topics, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await broker.stop();
    throw error;
  }
}

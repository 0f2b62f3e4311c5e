import type { StartedBroker } from '../brokers/types.js';
import type { ClientKind, ClientLogLevel, KafkaClient, SocketFactory } from '../clients/client-api.js';
import { createClient } from '../clients/create-client.js';
import { ConfigError } from '../errors.js';

/** A Kafka client for `broker` whose every connection goes through a fault lane (its socket factory). */
export function laneKafka(
  broker: StartedBroker,
  clientId: string,
  socketFactory: SocketFactory,
  logLevel: ClientLogLevel = 'error',
): KafkaClient {
  return createClient({
    clientId,
    brokers: broker.bootstrapServers,
    socketFactory,
    security: broker.security,
    logLevel,
    ...(broker.client && { kind: broker.client }),
  });
}

/** A Kafka client of a library without a socket hook, faulted through the advertised lane: it bootstraps from `advertised`. */
export function advertisedLaneKafka(
  broker: StartedBroker,
  client: ClientKind,
  clientId: string,
  advertised: readonly string[],
  logLevel: ClientLogLevel = 'error',
): KafkaClient {
  return createClient({ kind: client, clientId, brokers: advertised, security: broker.security, logLevel });
}

/** The servers a client without a socket hook bootstraps from to be faulted: the proxies the brokers advertise. */
export function advertisedServers(broker: StartedBroker, client: ClientKind): readonly string[] {
  if (broker.proxiedBootstrapServers) return broker.proxiedBootstrapServers;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `network faults: Kafka client "${client}" can only be faulted through the advertised lane, and this ${broker.kind} cluster advertises no fault proxy. ` +
      'Start it with faultProxy (advertisedProxies(toxiproxy).faultProxy; `run` does for chaos scenarios), or use --client kafkajs for per-client lanes.',
    { key: 'network', value: client },
  );
}

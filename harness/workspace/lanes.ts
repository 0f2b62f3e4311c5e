import type { StartedBroker } from '../brokers/types.js';
import type { ClientLogLevel, KafkaClient, SocketFactory } from '../clients/client-api.js';
import { createClient } from '../clients/create-client.js';

/** A Kafka client for `broker` whose every connection goes through a fault lane (its socket factory). */
export function laneKafka(broker: StartedBroker, clientId: string, socketFactory: SocketFactory, logLevel: ClientLogLevel = 'error'): KafkaClient {
  return createClient({ clientId, brokers: broker.bootstrapServers, socketFactory, security: broker.security, logLevel });
}

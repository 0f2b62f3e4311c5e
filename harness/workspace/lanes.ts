import type { ISocketFactory } from 'kafkajs';
import { Kafka, logLevel } from '../clients/kafkajs.js';
import { harnessLogCreator } from '../brokers/kafka-log.js';
import type { StartedBroker } from '../brokers/types.js';
import { kafkajsSecurity } from '../config/security.js';

/** A kafkajs client for `broker` whose every connection goes through a fault lane (its socket factory). */
export function laneKafka(broker: StartedBroker, clientId: string, socketFactory: ISocketFactory): Kafka {
  return new Kafka({ clientId, brokers: [...broker.bootstrapServers], logLevel: logLevel.ERROR, logCreator: harnessLogCreator, socketFactory, ...kafkajsSecurity(broker.security) });
}

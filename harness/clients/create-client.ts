import { ConfigError } from '../errors.js';
import { CLIENT_KINDS, type ClientKind, type ClientOptions, type KafkaClient } from './client-api.js';
import { createKafkajsClient } from './kafkajs-client.js';

export { kafkajsClient } from './kafkajs.js';

// The one place that chooses a client library for the harness's clients. Everything above harness/clients/ makes
// its clients here and speaks client-api.ts.

/** A client for one cluster from the library `options.kind` names (default kafkajs, the harness's own copy). */
export function createClient(options: ClientOptions): KafkaClient {
  const kind: ClientKind = options.kind ?? 'kafkajs';
  switch (kind) {
    case 'kafkajs':
      return createKafkajsClient(options);
    case 'platformatic':
      // The @platformatic/kafka adapter goes here (harness/clients/platformatic/), implementing client-api.ts.
      throw new ConfigError('CONFIG_INVALID_VALUE', `Kafka client "platformatic" is not available yet; allowed: kafkajs.`, { key: 'client', value: kind });
    default:
      throw new ConfigError('CONFIG_INVALID_VALUE', `Unknown Kafka client "${String(kind)}"; allowed: ${CLIENT_KINDS.join(', ')}.`, { key: 'client', value: String(kind) });
  }
}

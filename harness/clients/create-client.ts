import { ConfigError } from '../errors.js';
import { CLIENT_KINDS, type ClientKind, type ClientOptions, type KafkaClient } from './client-api.js';
import { chooseClient } from './client-choice.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { createPlatformaticClient } from './platformatic/client.js';

export { kafkajsClient } from './kafkajs.js';
export { kafkajsSecurity, type KafkajsSasl, type KafkajsSecurity } from './kafkajs-security.js';

// The one place that chooses a client library for the harness's clients. Everything above harness/clients/ makes
// its clients here and speaks client-api.ts.

/** A client for one cluster from the library `options.kind` names (default kafkajs, the harness's own copy). */
export function createClient(options: ClientOptions): KafkaClient {
  // No kind given: GAMELAN_KAFKA_CLIENT (which `--client` sets), else kafkajs; an unknown value is refused (exit 2).
  const kind: ClientKind = options.kind ?? chooseClient(undefined);
  switch (kind) {
    case 'kafkajs':
      return createKafkajsClient(options);
    case 'platformatic':
      // Checks the Node version (ClientUnavailableError, exit 2); the library is loaded by the first connect().
      return createPlatformaticClient(options);
    default:
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `Unknown Kafka client "${String(kind)}"; allowed: ${CLIENT_KINDS.join(', ')}.`,
        { key: 'client', value: String(kind) },
      );
  }
}

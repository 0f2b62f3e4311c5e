import type { AdminOptions, ClientOptions, ConsumerOptions, KafkaClient, ProducerOptions } from '../client-api.js';
import { assertClientRuns } from '../client-choice.js';
import { PlatformaticAdmin } from './admin.js';
import { refuseSocketFactory } from './connection.js';
import { PlatformaticConsumer } from './consumer.js';
import { PlatformaticProducer } from './producer.js';

// The @platformatic/kafka adapter of client-api.ts. Making the client checks the Node version (exit 2 where it
// cannot run) and opens nothing; the library itself is loaded by the first connect() (load.ts), so a process that
// never chose this client never loads it.

export function createPlatformaticClient(options: ClientOptions): KafkaClient {
  assertClientRuns('platformatic');
  refuseSocketFactory(options);
  return {
    producer: (producerOptions?: ProducerOptions) => new PlatformaticProducer(options, producerOptions),
    consumer: (consumerOptions: ConsumerOptions) => new PlatformaticConsumer(options, consumerOptions),
    admin: (adminOptions?: AdminOptions) => new PlatformaticAdmin(options, adminOptions),
  };
}

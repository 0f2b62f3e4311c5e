import type { StatusUpdateMessage } from '../protocol/index.js';
import type { ConsumerOptions } from './consumer.js';
import { MessageConsumer } from './message-consumer.js';
import { MessageProducer, type ProducerOptions } from './producer.js';

/** Publishes StatusUpdateMessages on the status topic, keyed by tenantId (spec: KafkaStatusPublisher). */
export class StatusPublisher extends MessageProducer<'status'> {
  static async connect(options: ProducerOptions): Promise<StatusPublisher> {
    return new StatusPublisher(options).connect();
  }

  private constructor(options: ProducerOptions) {
    super('status', options);
  }
}

/** Consumes StatusUpdateMessages (spec: status subscribers). */
export class StatusConsumer extends MessageConsumer<'status'> {
  /** Connect, subscribe and resolve once the group is joined. */
  static async start(options: ConsumerOptions<StatusUpdateMessage>): Promise<StatusConsumer> {
    return new StatusConsumer(options).start();
  }

  private constructor(options: ConsumerOptions<StatusUpdateMessage>) {
    super('status', options);
  }
}

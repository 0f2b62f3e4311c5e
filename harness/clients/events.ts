import type { WorkflowEventMessage } from '../protocol/index.js';
import type { ConsumerOptions } from './consumer.js';
import { MessageConsumer } from './message-consumer.js';
import { MessageProducer, type ProducerOptions } from './producer.js';

/** Publishes WorkflowEventMessages on the events topic, keyed by runId (spec: KafkaEventPublisher). */
export class EventPublisher extends MessageProducer<'events'> {
  static async connect(options: ProducerOptions): Promise<EventPublisher> {
    return new EventPublisher(options).connect();
  }

  private constructor(options: ProducerOptions) {
    super('events', options);
  }
}

/** Consumes WorkflowEventMessages for projections (spec: KafkaEventConsumer). */
export class EventConsumer extends MessageConsumer<'events'> {
  /** Connect, subscribe and resolve once the group is joined. */
  static async start(options: ConsumerOptions<WorkflowEventMessage>): Promise<EventConsumer> {
    return new EventConsumer(options).start();
  }

  private constructor(options: ConsumerOptions<WorkflowEventMessage>) {
    super('events', options);
  }
}

// Producers and consumers of the Gamelan protocol on the harness's client interface (client-api.ts), named as in the spec and configured from
// gamelan.kafka.* (see settings.ts for what maps to kafkajs and what cannot).

export { TaskConsumer, TaskProducer } from './tasks.js';
export { ResultConsumer, ResultProducer } from './results.js';
export { EventConsumer, EventPublisher } from './events.js';
export { StatusConsumer, StatusPublisher } from './status.js';
export { DeadLetterPublisher } from './dead-letter-publisher.js';
export { DeadLetterHandler } from './dead-letter-handler.js';
export {
  RecordConsumer,
  type ConsumerEvents,
  type ConsumerOptions,
  type ConsumerStats,
  type MessageHandler,
  type PoisonStrategy,
  type RecordContext,
  type RejectedRecord,
} from './consumer.js';
export {
  MessageProducer,
  RecordProducer,
  type ProducerOptions,
  type SendOptions,
  type SentRecord,
} from './producer.js';
export {
  JavaCompatiblePartitioner,
  consumerSettings,
  producerSettings,
  type ConsumerSettings,
  type ProducerSettings,
} from './settings.js';

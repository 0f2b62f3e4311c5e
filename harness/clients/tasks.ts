import type { TaskMessage } from '../protocol/index.js';
import type { ConsumerOptions } from './consumer.js';
import { MessageConsumer } from './message-consumer.js';
import { MessageProducer, type ProducerOptions } from './producer.js';

/** Publishes TaskMessages on the tasks topic, keyed by runId (spec: KafkaTaskProducer). */
export class TaskProducer extends MessageProducer<'tasks'> {
  static async connect(options: ProducerOptions): Promise<TaskProducer> {
    return new TaskProducer(options).connect();
  }

  private constructor(options: ProducerOptions) {
    super('tasks', options);
  }
}

/** Consumes TaskMessages (spec: KafkaTaskConsumer); poison records are dead-lettered, offsets committed after handling. */
export class TaskConsumer extends MessageConsumer<'tasks'> {
  /** Connect, subscribe and resolve once the group is joined. */
  static async start(options: ConsumerOptions<TaskMessage>): Promise<TaskConsumer> {
    return new TaskConsumer(options).start();
  }

  private constructor(options: ConsumerOptions<TaskMessage>) {
    super('tasks', options);
  }
}

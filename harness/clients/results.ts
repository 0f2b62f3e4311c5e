import type { TaskResultMessage } from '../protocol/index.js';
import type { ConsumerOptions } from './consumer.js';
import { MessageConsumer } from './message-consumer.js';
import { MessageProducer, type ProducerOptions } from './producer.js';

/** Publishes TaskResultMessages on the results topic, keyed by runId (spec: KafkaResultProducer). Pass `childTraceparent(task context.traceparent)` to continue the task's trace. */
export class ResultProducer extends MessageProducer<'results'> {
  static async connect(options: ProducerOptions): Promise<ResultProducer> {
    return new ResultProducer(options).connect();
  }

  private constructor(options: ProducerOptions) {
    super('results', options);
  }
}

/** Consumes TaskResultMessages (spec: KafkaResultConsumer). */
export class ResultConsumer extends MessageConsumer<'results'> {
  /** Connect, subscribe and resolve once the group is joined. */
  static async start(options: ConsumerOptions<TaskResultMessage>): Promise<ResultConsumer> {
    return new ResultConsumer(options).start();
  }

  private constructor(options: ConsumerOptions<TaskResultMessage>) {
    super('results', options);
  }
}

import type { RecordMetadata } from './client-api.js';
import {
  type DeadLetterCause,
  type DeadLetterMessage,
  deadLetterRecord,
  deadLetterRecordFromMessage,
  type FailedRecord,
} from '../protocol/index.js';
import { dialectNamed } from '../protocol/dialects/read.js';
import { type ProducerOptions, RecordProducer, type SentRecord } from './producer.js';

/**
 * Writes dead letters to the dlq topic: the original record (key and value bytes unchanged, original headers
 * kept) plus Spring's `kafka_dlt-*` headers (see `DLT_HEADERS`). Keyed by the original key, so the Java
 * partitioner keeps a run's dead letters together. `forward` resolves only once the broker acknowledged.
 */
export class DeadLetterPublisher extends RecordProducer<'dlq'> {
  static async connect(options: ProducerOptions): Promise<DeadLetterPublisher> {
    return new DeadLetterPublisher(options).connect();
  }

  private constructor(options: ProducerOptions) {
    super('dlq', options);
  }

  /**
   * Dead-letter a record that failed, with why, as the dialect writes dead letters (spec: bytes unchanged plus
   * Spring headers; upstream: the Java DeadLetterMessage JSON, unkeyed).
   */
  forward(failed: FailedRecord, cause: DeadLetterCause): Promise<SentRecord> {
    return this.sendOne(
      this.dialect === 'spec' ? deadLetterRecord(failed, cause) : dialectNamed(this.dialect).deadLetter(failed, cause),
    );
  }

  /** Publish a DeadLetterMessage (its payload becomes the record value again). */
  publish(message: DeadLetterMessage): Promise<SentRecord> {
    return this.sendOne(deadLetterRecordFromMessage(message));
  }

  /** Several dead letters in one produce request. */
  publishBatch(messages: readonly DeadLetterMessage[]): Promise<RecordMetadata[]> {
    return this.sendRecords(messages.map(deadLetterRecordFromMessage));
  }
}

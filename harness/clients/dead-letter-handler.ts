import type { ConsumedMessage } from './client-api.js';
import { type DeadLetterMessage, type DecodeResult, readDeadLetterRecord } from '../protocol/index.js';
import { type ConsumerOptions, RecordConsumer } from './consumer.js';

/**
 * Consumes the dlq topic as DeadLetterMessages (spec: KafkaDeadLetterHandler): from the `kafka_dlt-*`
 * headers and original bytes, or from a JSON DeadLetterMessage value. A dlq record that is neither is
 * counted as rejected and skipped (onPoison `ignore`; dead letters are never dead-lettered again), unless
 * `onPoison: 'fail'` is chosen.
 */
export class DeadLetterHandler extends RecordConsumer<'dlq', DeadLetterMessage> {
  static async start(options: ConsumerOptions<DeadLetterMessage>): Promise<DeadLetterHandler> {
    return new DeadLetterHandler(options).start();
  }

  private constructor(options: ConsumerOptions<DeadLetterMessage>) {
    super('dlq', options);
  }

  protected decode(
    message: ConsumedMessage,
    topic: string,
    partition: number,
  ): DecodeResult<{ message: DeadLetterMessage; key: string | null; traceparent: string | undefined }> {
    const read = readDeadLetterRecord({ ...message, topic, partition });
    if (!read.ok) return read;
    const traceparent = message.headers?.traceparent?.toString();
    return {
      ok: true,
      message: { message: read.message, key: message.key === null ? null : message.key.toString('utf8'), traceparent },
    };
  }
}

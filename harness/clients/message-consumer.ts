import type { ConsumedMessage } from './client-api.js';
import type { TopicRole } from '../vocabulary.js';
import { type DecodeResult, type MessageForRole } from '../protocol/index.js';
import { decodeRecordIn } from '../protocol/dialects/codec.js';
import { RecordConsumer } from './consumer.js';

/** A consumer of one message role: JSON, schema and key checked in its dialect (`decodeRecord` for the README). */
export abstract class MessageConsumer<R extends Exclude<TopicRole, 'dlq'>> extends RecordConsumer<
  R,
  MessageForRole<R>
> {
  protected decode(
    message: ConsumedMessage,
  ): DecodeResult<{ message: MessageForRole<R>; key: string | null; traceparent: string | undefined }> {
    return decodeRecordIn(this.dialect, this.role, message);
  }
}

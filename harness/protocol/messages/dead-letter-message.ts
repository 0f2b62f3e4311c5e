import { z } from 'zod';
import { identifier, instant, JAVA_INT_MAX, optional } from '../wire.js';

export const DEAD_LETTER_REASONS = [
  'MESSAGE_DECODE_FAILED', // the value is not UTF-8 JSON (or is a tombstone)
  'MESSAGE_INVALID', // JSON that fails the message schema
  'MESSAGE_KEY_INVALID', // missing record key, or key ≠ runId / tenantId
  'HANDLER_FAILED', // the application handler kept throwing after dlq.max-retries retries
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export const TIMESTAMP_TYPES = ['CreateTime', 'LogAppendTime'] as const;

/**
 * A record that could not be processed, as the dead-letter handler sees it.
 *
 * On the wire (the dlq topic) a dead letter is **the original record, value bytes unchanged, key unchanged**,
 * with the original headers plus the headers of Spring Kafka's `DeadLetterPublishingRecoverer`
 * (`kafka_dlt-original-topic`, `-partition` (int32 big-endian), `-offset` and `-timestamp` (int64 big-endian),
 * `-timestamp-type`, `-consumer-group`, `kafka_dlt-exception-fqcn`, `-message`, `-stacktrace`); see
 * `DLT_HEADERS`. We chose Spring's names over SmallRye's `dead-letter-*` because Spring's set carries
 * everything asked of a dead letter (timestamp, consumer group) while SmallRye's lacks both. SmallRye's
 * vocabulary survives in the two fields `reason` (a stable code, like `dead-letter-reason`'s role) and
 * `cause` (the exception message, what the spec's `DeadLetterMessage.getCause()` logs).
 *
 * This object is assembled by `readDeadLetterRecord` from those headers and bytes. It is also what the
 * handler accepts as a JSON record value without `kafka_dlt-*` headers (a Java service that publishes the
 * spec's `DeadLetterMessage` class as JSON). `failedAt` is the dead-letter record's own timestamp.
 */
export const DeadLetterMessageSchema = z
  .object({
    originalTopic: z
      .string()
      .min(1)
      .max(249)
      .meta({ description: 'Topic the record was consumed from (kafka_dlt-original-topic).' }),
    originalPartition: optional(
      z.int().min(0).max(JAVA_INT_MAX).meta({ description: 'kafka_dlt-original-partition.' }),
    ),
    originalOffset: optional(z.int().min(0).meta({ description: 'kafka_dlt-original-offset.' })),
    originalKey: optional(
      z
        .string()
        .meta({ description: 'Record key (UTF-8), null when the record had none. The dead letter keeps this key.' }),
    ),
    originalTimestamp: optional(instant('kafka_dlt-original-timestamp.')),
    originalTimestampType: optional(
      z.enum(TIMESTAMP_TYPES).meta({ description: 'kafka_dlt-original-timestamp-type.' }),
    ),
    consumerGroup: optional(identifier('kafka_dlt-original-consumer-group.')),
    messageType: optional(identifier('Message type expected on the original topic, e.g. TaskMessage.')),
    reason: identifier(
      `Why the record was dead-lettered, a stable code: ${DEAD_LETTER_REASONS.join(', ')} (others are read).`,
    ),
    errorClass: identifier('Error class name (kafka_dlt-exception-fqcn), e.g. ProtocolError.'),
    cause: z
      .string()
      .meta({ description: 'Error message (kafka_dlt-exception-message), with the JSON path when there is one.' }),
    errorPath: optional(z.string().meta({ description: 'JSON path of the offending field, e.g. $.attempt.' })),
    payload: z
      .string()
      .nullable()
      .meta({ description: 'The original value: UTF-8 text, or base64 when not UTF-8; null for a tombstone.' }),
    payloadEncoding: z.enum(['utf-8', 'base64']).meta({ description: 'How payload encodes the original bytes.' }),
    failedAt: instant('When the record was dead-lettered.'),
  })
  .meta({
    id: 'DeadLetterMessage',
    title: 'DeadLetterMessage',
    description: 'A record that could not be processed (topic role: dlq, key: the original key).',
  });

export type DeadLetterMessage = z.output<typeof DeadLetterMessageSchema>;
export type DeadLetterMessageWire = z.input<typeof DeadLetterMessageSchema>;

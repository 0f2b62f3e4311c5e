import { TopicError } from '../errors.js';

// kafkajs decodes a compressed batch with the codec registered in the kafkajs that made the client: the harness's
// own copy has gzip and snappy (what a Gamelan Java producer writes by default, kafka.compression.type=snappy); a
// kafkajs a user made and passed in has gzip only, as shipped. Its consumer then crashes on the first snappy batch
// and is not restarted: whatever read through it would wait, silently, for records that never come.

const MISSING_CODEC = /^(Snappy|LZ4|ZSTD) compression not implemented$/;

/**
 * The typed error for a consumer that crashed because its kafkajs has no codec for a batch (`TOPIC_READ_FAILED`,
 * naming the codec, the reader, its topics and the fix), or undefined for any other crash.
 */
export function missingCodecError(error: unknown, reader: string, topics: readonly string[]): TopicError | undefined {
  const e = error as { name?: unknown; message?: unknown } | null | undefined;
  const match = typeof e?.message === 'string' ? MISSING_CODEC.exec(e.message) : null;
  if (!match || (e?.name !== undefined && e.name !== 'KafkaJSNotImplemented')) return undefined;
  const codec = match[1]!;
  const fix =
    codec === 'Snappy'
      ? 'Make the kafkajs client with kafkajsClient(config) from the harness (its kafkajs copy has the snappy codec), ' +
        'or register one in your kafkajs: CompressionCodecs[CompressionTypes.Snappy] = require("kafkajs-snappy").'
      : `The harness reads uncompressed, gzip and snappy batches; have the producer use one of them (compression.type).`;
  return new TopicError(
    'TOPIC_READ_FAILED',
    `${reader}: ${codec.toLowerCase()}-compressed batches on ${topics.join(', ')} cannot be read: this kafkajs client has no ${codec.toLowerCase()} codec, ` +
      `and its consumer stopped. ${fix}`,
    { cause: error },
  );
}

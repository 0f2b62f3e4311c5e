import { type GamelanKafkaConfig } from '../config/index.js';
import { causeChain, ConfigError } from '../errors.js';
import { partitionForKey } from '../protocol/index.js';
import { COMPRESSION, type CompressionCode, type PartitionerArgs } from './client-api.js';

// gamelan.kafka.* → kafkajs. What maps, and what kafkajs cannot do:
//
//   producer.acks               all/-1 → -1, 0 → 0, 1 → 1 (per send)
//   producer.compression-type   snappy (kafkajs-snappy, in the harness's kafkajs copy), gzip, none.
//                               lz4/zstd: no codec installed → ConfigError at connect.
//   producer.linger-ms          honoured by the harness's producer layer (clients/linger.ts): a send waits up to
//                               linger.ms for others to share its produce request.
//   producer.batch-size         honoured there too: a batch of batch-size bytes goes out at once (counted over all
//                               partitions, so never later than Java would send it); one request in flight per producer
//                               (order kept across retries, as Java's default idempotent producer keeps it).
//   (retries)                   Java's: backoff 100 ms to 1 s until delivery.timeout.ms 120 s (DELIVERY_RETRY).
//   consumer.group-id           default group of every consumer (override per consumer with `groupId`).
//   consumer.session-timeout-ms sessionTimeout; consumer.heartbeat-interval-ms → heartbeatInterval.
//   consumer.fetch-min-bytes    minBytes.
//   consumer.auto-offset-reset  earliest → subscribe fromBeginning, latest → not; none has no kafkajs
//                               equivalent (kafkajs cannot fail on a missing offset) → ConfigError.
//   consumer.max-poll-records   the chunk bound: the consumers take kafkajs batches per partition (several
//                               partitions at once) and hand them to the handler in chunks of at most
//                               max-poll-records records, one commit per chunk.
//   consumer.enable-auto-commit NOT used: the protocol consumers commit manually, a chunk only after every record
//                               of it was handled, its sends acknowledged, or its dead letter written (at-least-once).
//   dlq.enabled                 poison strategy default: 'dead-letter' when true, 'fail' when false.
//   dlq.max-retries/backoff-ms/backoff-multiplier/max-backoff-ms: retries of a throwing handler.

export interface ProducerSettings {
  readonly acks: -1 | 0 | 1;
  readonly compression: CompressionCode;
}

export function producerSettings(config: GamelanKafkaConfig): ProducerSettings {
  const acks =
    config.producer.acks === 'all' || config.producer.acks === '-1' ? -1 : config.producer.acks === '0' ? 0 : 1;
  switch (config.producer.compressionType) {
    case 'none':
      return { acks, compression: COMPRESSION.none };
    case 'gzip':
      return { acks, compression: COMPRESSION.gzip };
    case 'snappy':
      return { acks, compression: COMPRESSION.snappy };
    default:
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `gamelan.kafka.producer.compression-type = "${config.producer.compressionType}" has no codec in this harness; ` +
          "allowed: snappy, gzip, none. Set compression-type=snappy (the spec's value).",
        { key: 'gamelan.kafka.producer.compression-type', value: config.producer.compressionType },
      );
  }
}

/**
 * How long a record may keep failing before its send gives up, as the Java producer does it: retries with
 * retry.backoff.ms 100 growing to retry.backoff.max.ms 1,000, until delivery.timeout.ms (120 s) has passed.
 * kafkajs gives up much sooner (5 retries, or at once when its own metadata refresh ran out of retries while a
 * restarted broker rejoins), and the fake engine would then lose an event Java would have delivered. So the
 * protocol producers retry whole requests until this deadline (clients/producer.ts), each request with kafkajs'
 * own retries at Java's backoff (DELIVERY_RETRY).
 */
export const DELIVERY_TIMEOUT_MS = 120_000;
export const DELIVERY_RETRY = { initialRetryTime: 100, maxRetryTime: 1_000, multiplier: 2, retries: 10 } as const;

/** An error no retry can mend (a record the broker refuses, a bug); anything else is worth another attempt. */
export function isPermanentSendError(error: unknown): boolean {
  for (const e of causeChain(error)) {
    if (e.name === 'KafkaJSProtocolError') return e.retriable === false;
    if (e.name === 'TypeError' || e.name === 'RangeError' || e.name === 'ReferenceError' || e.name === 'SyntaxError')
      return true;
  }
  return false;
}

export interface ConsumerSettings {
  readonly groupId: string;
  readonly sessionTimeout: number;
  readonly heartbeatInterval: number;
  readonly minBytes: number;
  readonly fromBeginning: boolean;
}

export function consumerSettings(config: GamelanKafkaConfig, groupId?: string): ConsumerSettings {
  const reset = config.consumer.autoOffsetReset;
  if (reset === 'none') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      'gamelan.kafka.consumer.auto-offset-reset = "none" has no kafkajs equivalent (kafkajs cannot fail on a missing ' +
        'committed offset); allowed here: earliest, latest.',
      { key: 'gamelan.kafka.consumer.auto-offset-reset', value: reset },
    );
  }
  return {
    groupId: groupId ?? config.consumer.groupId,
    sessionTimeout: config.consumer.sessionTimeoutMs,
    heartbeatInterval: config.consumer.heartbeatIntervalMs,
    minBytes: config.consumer.fetchMinBytes,
    fromBeginning: reset === 'earliest',
  };
}

/**
 * A kafkajs partitioner that picks what the Java client's default partitioner picks for keyed records
 * (murmur2 of the key bytes, toPositive, modulo the partition count). Key-less records go round-robin.
 */
export function JavaCompatiblePartitioner() {
  let counter = 0;
  return ({ partitionMetadata, message }: PartitionerArgs): number => {
    if (typeof message.partition === 'number') return message.partition;
    const count = partitionMetadata.length;
    if (message.key === null || message.key === undefined) return counter++ % count;
    return partitionForKey(typeof message.key === 'string' ? message.key : new Uint8Array(message.key), count);
  };
}

import type { TopicRole } from '../vocabulary.js';
import type { RawRecord as ProtocolRawRecord } from '../protocol/index.js';

/** One record as the recorder saw it on the broker. */
export interface RecordedMessage<T = unknown> {
  readonly topic: string;
  readonly role: TopicRole;
  readonly partition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string kafkajs gives. */
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Broker/producer timestamp (ms since epoch). */
  readonly timestamp: number;
  /** The decoded, validated message; undefined when it did not decode. */
  readonly value: T | undefined;
  /** Why the value did not decode (not JSON, failed its schema…). */
  readonly decodeError?: string;
  /** The bytes, base64, for export and for contract checks on raw payloads. */
  readonly rawBase64: string | null;
  /** When the recorder received it (ms since epoch). */
  readonly receivedAt: number;
}

export type DecodeResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** A raw record as kafkajs gives it, for decoding (the protocol's RawRecord plus its timestamp). */
export interface RawRecord extends ProtocolRawRecord {
  readonly timestamp: string;
}

/** How the recorder turns records into messages (the protocol's validating decoder; dead letters need headers). */
export type RecordDecoder = (role: TopicRole, record: RawRecord) => DecodeResult;

/** A watched group's committed offsets against the log end of one topic at a moment (its consumer lag). */
export interface LagSample {
  readonly at: number;
  readonly groupId: string;
  readonly topic: string;
  readonly partitions: readonly {
    readonly partition: number;
    /** Null while the group has committed nothing there. */
    readonly committed: number | null;
    readonly end: number;
    /** end − committed (end − log start when nothing is committed), as `kafka-consumer-groups` reports it. */
    readonly lag: number;
  }[];
}

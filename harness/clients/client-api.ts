import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { ClientSecurity } from '../config/security.js';

// The harness's own Kafka client interface: the one seam between the harness and a Kafka client library.
// Everything above harness/clients/ speaks these types; an adapter (clients/kafkajs.ts today, a @platformatic/kafka
// one next) implements them. It is the subset of operations the harness uses, no more: add a member here only
// when a call site needs it, and then in every adapter.
//
// Names and shapes stay close to kafkajs so the kafkajs adapter is its own objects (they satisfy these types
// structurally: no wrapper on the data path, see the `satisfies` checks in create-client.ts), but every member is
// defined by what it means in Kafka, so a client whose consumer is a stream, and that speaks KIP-848
// (`groupProtocol: 'consumer'`), can implement it:
// - offsets are decimal strings (int64), partitions numbers, keys/values Buffers (null for a null key/value);
// - compression and config resource types are Kafka's own protocol codes, not a library's enum;
// - a consumer's batch handler sees one partition's records at a time; `heartbeat()` may be a no-op and
//   `resolveOffset()` only marks local progress (never a commit): commits are always explicit (`commitOffsets`).

/** Kafka's record compression codes (the record batch's attributes). */
export const COMPRESSION = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionCode = (typeof COMPRESSION)[keyof typeof COMPRESSION];

/** Kafka's config resource type codes (DescribeConfigs). */
export const CONFIG_RESOURCE = { topic: 2, broker: 4 } as const;
export type ConfigResourceCode = (typeof CONFIG_RESOURCE)[keyof typeof CONFIG_RESOURCE];

/** acks per produce request: -1 all in-sync replicas, 1 the leader, 0 none. */
export type Acks = -1 | 0 | 1;

/** Record headers: a value per name, several for a repeated name. */
export interface RecordHeaders {
  [name: string]: Buffer | string | (Buffer | string)[] | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The client and how to make one

/** Log levels, least to most verbose. */
export type ClientLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** One log entry of a client library. */
export interface ClientLogEntry {
  readonly level: Exclude<ClientLogLevel, 'nothing'>;
  /** The library's component (kafkajs: `Connection`, `Consumer`…). */
  readonly namespace: string;
  readonly message: string;
  /** Everything else the entry carries (error, broker, stack, retry counts…). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Where a client's log entries go. */
export type ClientLogSink = (entry: ClientLogEntry) => void;

/**
 * Opens every connection of a client (bootstrap and each broker): a network fault lane routes them through
 * a proxy. `onConnect` must be called once the socket is connected (TLS: once the handshake is done).
 */
export type SocketFactory = (args: {
  host: string;
  port: number;
  ssl: ConnectionOptions | boolean | undefined;
  onConnect: () => void;
}) => Socket;

/** The client libraries the harness can use; `platformatic` is being prototyped. */
export const CLIENT_KINDS = ['kafkajs', 'platformatic'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** Retries of a request (kafkajs's policy: exponential with jitter; `retries: 0` tries once). */
export interface ClientRetry {
  readonly retries?: number;
  readonly initialRetryTime?: number;
  readonly maxRetryTime?: number;
  readonly factor?: number;
  readonly multiplier?: number;
}

/** How to make a client: `createClient(options)` in clients/create-client.ts. */
export interface ClientOptions {
  /** Which library (default `kafkajs`). */
  readonly kind?: ClientKind;
  readonly clientId: string;
  /** Bootstrap servers, `host:port`. */
  readonly brokers: readonly string[];
  /** TLS and SASL (default plaintext). */
  readonly security?: ClientSecurity;
  /** Default `error`. */
  readonly logLevel?: ClientLogLevel;
  /** Default: the harness's JSON lines on stderr, without the transient errors a client retries itself. */
  readonly log?: ClientLogSink;
  readonly socketFactory?: SocketFactory;
  readonly connectionTimeout?: number;
  readonly requestTimeout?: number;
  /** Retries of the client's requests (default: the library's). */
  readonly retry?: ClientRetry;
}

/** A connection to one cluster; makes producers, consumers and admins. Making one opens nothing. */
export interface KafkaClient {
  producer(options?: ProducerOptions): Producer;
  consumer(options: ConsumerOptions): Consumer;
  admin(options?: AdminOptions): Admin;
}

// ---------------------------------------------------------------------------------------------------------------
// Producing

/** A record to produce. */
export interface ProducedMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  /** Explicit partition (else the producer's partitioner decides). */
  partition?: number;
  headers?: RecordHeaders;
  /** Epoch milliseconds. */
  timestamp?: string;
}

/** What a partitioner is asked: the topic's partitions and the record. */
export interface PartitionerArgs {
  topic: string;
  partitionMetadata: readonly { partitionId: number; leader: number }[];
  message: ProducedMessage;
}

/** Makes the function choosing a record's partition. */
export type PartitionerFactory = () => (args: PartitionerArgs) => number;

export interface ProducerOptions {
  /** Default false in the harness (topics are provisioned). */
  allowAutoTopicCreation?: boolean;
  createPartitioner?: PartitionerFactory;
  retry?: ClientRetry;
  /** Produce requests in flight per broker connection. */
  maxInFlightRequests?: number;
  idempotent?: boolean;
}

/** One produce request's records for one topic. */
export interface ProducerRecord {
  topic: string;
  messages: ProducedMessage[];
  acks?: Acks;
  /** Broker-side wait for acks, ms. */
  timeout?: number;
  compression?: CompressionCode;
}

/** One partition's answer to a produce request. */
export interface RecordMetadata {
  topicName: string;
  partition: number;
  /** Kafka's error code (0: none). */
  errorCode: number;
  /** The offset of the partition's first record written by the request. */
  baseOffset?: string;
  offset?: string;
  timestamp?: string;
  logAppendTime?: string;
  logStartOffset?: string;
}

export interface Producer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** One produce request per broker; resolves with one answer per partition written. */
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
}

// ---------------------------------------------------------------------------------------------------------------
// Consuming

/** A consumed record. */
export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  /** Epoch milliseconds. */
  timestamp: string;
  offset: string;
  headers?: RecordHeaders;
}

/** Kafka's consumer group protocols: classic (join/sync) and consumer (KIP-848, Kafka 4). */
export const GROUP_PROTOCOLS = ['classic', 'consumer'] as const;
export type GroupProtocol = (typeof GROUP_PROTOCOLS)[number];

/** A consumer-protocol group (KIP-848) as ConsumerGroupDescribe tells it. */
export interface ConsumerProtocolGroup {
  readonly groupId: string;
  /** Empty, Assigning, Reconciling, Stable, Dead (the broker's words). */
  readonly state: string;
  readonly groupEpoch: number;
  readonly members: readonly {
    readonly memberId: string;
    readonly clientId: string;
    readonly clientHost: string;
    readonly memberEpoch: number;
    /** Partitions the member owns now, by topic name (sorted). */
    readonly assignment: Readonly<Record<string, readonly number[]>>;
  }[];
}

export interface ConsumerOptions {
  groupId: string;
  /**
   * Kafka's group protocol: `classic` (join/sync, client-side assignors) or `consumer` (KIP-848, assignment by the
   * broker). Default `classic`; an adapter that cannot speak `consumer` refuses it when the consumer is made.
   */
  groupProtocol?: GroupProtocol;
  allowAutoTopicCreation?: boolean;
  /** Longest wait of a fetch for `minBytes` (Java: fetch.max.wait.ms). */
  maxWaitTimeInMs?: number;
  minBytes?: number;
  maxBytes?: number;
  maxBytesPerPartition?: number;
  /** Classic protocol only. */
  sessionTimeout?: number;
  /** Classic protocol only. */
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  readUncommitted?: boolean;
  /** Retries of the consumer's requests; `restartOnFailure` decides whether a crashed consumer starts again. */
  retry?: ClientRetry & { restartOnFailure?: (error: Error) => Promise<boolean> };
}

export interface ConsumerSubscription {
  topics: (string | RegExp)[];
  /** Where a group with no committed offset starts: the earliest record (true) or the next one written (false). */
  fromBeginning?: boolean;
}

/** One partition's fetched records. */
export interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: ConsumedMessage[];
}

/**
 * What a batch handler gets. A consumer hands one partition's records at a time; batches of several partitions
 * may be handled at once (`partitionsConsumedConcurrently`), a partition's never.
 */
export interface BatchPayload {
  readonly batch: Batch;
  /** Mark `offset` handled: if the handler ends early, the consumer's next fetch of this partition starts after it. Not a commit. */
  resolveOffset(offset: string): void;
  /** Keep the group membership alive during long work (a no-op where heartbeats run in the background). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: stop taking records. */
  isRunning(): boolean;
  /** True once the partition was revoked (a rebalance): stop taking records, its next owner reads from the last commit. */
  isStale(): boolean;
}

/** What a per-record handler gets. */
export interface MessagePayload {
  readonly topic: string;
  readonly partition: number;
  readonly message: ConsumedMessage;
}

export interface ConsumerRunOptions {
  /** Always false in the harness's own consumers: they commit explicitly, after acknowledgement. */
  autoCommit?: boolean;
  /** Whether a batch that ends without error counts as fully handled (default true). */
  eachBatchAutoResolve?: boolean;
  partitionsConsumedConcurrently?: number;
  eachBatch?: (payload: BatchPayload) => Promise<void>;
  eachMessage?: (payload: MessagePayload) => Promise<void>;
}

/** A topic's partitions to pause or resume (all of them if `partitions` is absent). */
export interface TopicPartitions {
  topic: string;
  partitions?: number[];
}

/** An offset of a partition of a topic. */
export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** The consumer's events (kafkajs's names). */
export interface ConsumerEventNames {
  /** The member joined (or rejoined) its group and has an assignment. */
  readonly GROUP_JOIN: 'consumer.group_join';
  /** A fetch completed. */
  readonly FETCH: 'consumer.fetch';
  /** The consumer crashed; `restart` says whether it starts again. */
  readonly CRASH: 'consumer.crash';
}

export interface GroupJoinEvent {
  readonly payload: {
    readonly groupId: string;
    readonly memberId: string;
    readonly leaderId: string;
    readonly isLeader: boolean;
    /** Topic → partitions assigned to this member. */
    readonly memberAssignment: Readonly<Record<string, number[]>>;
    readonly groupProtocol: string;
    readonly duration: number;
  };
}

export interface CrashEvent {
  readonly payload: { readonly error: Error; readonly groupId: string; readonly restart: boolean };
}

/** Removes the listener. */
export type RemoveListener = () => void;

export interface Consumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: ConsumerSubscription): Promise<void>;
  /** Start consuming; resolves once the consumer runs (not when it stops). */
  run(options?: ConsumerRunOptions): Promise<void>;
  /** Stop consuming and leave the group, staying connected. */
  stop(): Promise<void>;
  /** Commit `offset` (the next record to read) per partition for the group. */
  commitOffsets(offsets: TopicPartitionOffset[]): Promise<void>;
  /** Move the fetch position of a partition (after `run`). */
  seek(position: TopicPartitionOffset): void;
  pause(topics: TopicPartitions[]): void;
  resume(topics: TopicPartitions[]): void;
  readonly events: ConsumerEventNames;
  on(event: ConsumerEventNames['GROUP_JOIN'], listener: (event: GroupJoinEvent) => void): RemoveListener;
  on(event: ConsumerEventNames['FETCH'], listener: (event: unknown) => void): RemoveListener;
  on(event: ConsumerEventNames['CRASH'], listener: (event: CrashEvent) => void): RemoveListener;
}

// ---------------------------------------------------------------------------------------------------------------
// Admin

export interface AdminOptions {
  retry?: ClientRetry;
}

export interface TopicToCreate {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

export interface PartitionOffsets {
  partition: number;
  /** The next offset to be written (the high watermark). */
  offset: string;
  high: string;
  /** The earliest offset still stored. */
  low: string;
}

export interface TopicMetadata {
  name: string;
  partitions: {
    partitionErrorCode: number;
    partitionId: number;
    leader: number;
    replicas: number[];
    isr: number[];
    offlineReplicas?: number[];
  }[];
}

export interface GroupOffsets {
  topic: string;
  partitions: { partition: number; offset: string; metadata: string | null }[];
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** The classic protocol's encoded assignment (decode with `decodeMemberAssignment`); empty for a KIP-848 group. */
  memberAssignment: Buffer;
  memberMetadata: Buffer;
}

export interface GroupDescription {
  groupId: string;
  /** Kafka's group state: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead… */
  state: string;
  protocolType: string;
  /** The classic group's assignor (range, roundrobin…). */
  protocol: string;
  members: GroupMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
}

export interface ClusterDescription {
  brokers: { nodeId: number; host: string; port: number }[];
  controller: number | null;
  clusterId: string;
}

export interface ConfigResourceQuery {
  type: ConfigResourceCode;
  name: string;
  configNames?: string[];
}

export interface ConfigDescription {
  resources: {
    resourceType: number;
    resourceName: string;
    errorCode: number;
    errorMessage: string | null;
    configEntries: {
      configName: string;
      configValue: string;
      isDefault: boolean;
      isSensitive: boolean;
      readOnly: boolean;
    }[];
  }[];
}

export interface Admin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  /** False if every topic already existed. */
  createTopics(options: {
    topics: TopicToCreate[];
    validateOnly?: boolean;
    waitForLeaders?: boolean;
    timeout?: number;
  }): Promise<boolean>;
  createPartitions(options: {
    topicPartitions: { topic: string; count: number }[];
    validateOnly?: boolean;
    timeout?: number;
  }): Promise<boolean>;
  deleteTopics(options: { topics: string[]; timeout?: number }): Promise<void>;
  fetchTopicMetadata(options?: { topics: string[] }): Promise<{ topics: TopicMetadata[] }>;
  fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Per partition, the earliest offset whose record's timestamp is at least `timestamp` (epoch ms). */
  fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number): Promise<{ partition: number; offset: string }[]>;
  /** A group's committed offsets (`-1`: none). */
  fetchOffsets(options: { groupId: string; topics?: string[]; resolveOffsets?: boolean }): Promise<GroupOffsets[]>;
  /** Set a group's committed offsets (the group must have no members). */
  setOffsets(options: {
    groupId: string;
    topic: string;
    partitions: { partition: number; offset: string }[];
  }): Promise<void>;
  resetOffsets(options: { groupId: string; topic: string; earliest: boolean }): Promise<void>;
  /** Classic groups; a consumer-protocol group (KIP-848) is answered as empty and Dead (Kafka's classic describe). */
  describeGroups(groupIds: string[]): Promise<{ groups: GroupDescription[] }>;
  /**
   * A consumer-protocol group (KIP-848), or undefined when there is none of that id. Optional: an admin without it
   * reads classic groups only (`describeGroup` in clients/group-describe.ts asks it when the classic answer is Dead).
   */
  describeConsumerGroup?(groupId: string): Promise<ConsumerProtocolGroup | undefined>;
  listGroups(): Promise<{ groups: ListedGroup[] }>;
  deleteGroups(groupIds: string[]): Promise<{ groupId: string; errorCode?: number; error?: unknown }[]>;
  describeCluster(): Promise<ClusterDescription>;
  describeConfigs(options: { resources: ConfigResourceQuery[]; includeSynonyms: boolean }): Promise<ConfigDescription>;
  /** Set configuration entries of topics or brokers (non-incremental: entries not named go back to their defaults). */
  alterConfigs(options: {
    validateOnly: boolean;
    resources: { type: ConfigResourceCode; name: string; configEntries: { name: string; value: string }[] }[];
  }): Promise<unknown>;
}

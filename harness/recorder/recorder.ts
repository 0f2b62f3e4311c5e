import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Admin, ConsumedMessage, Consumer, KafkaClient } from '../clients/client-api.js';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';
import { TOPIC_ROLES, type TopicRole } from '../vocabulary.js';
import { headersToText } from '../protocol/index.js';
import { lagOf } from '../topics/lag.js';
import { waitFor } from '../wait.js';
import type { DialectName } from '../vocabulary.js';
import { recordDecoderFor } from './decode.js';
import { snapshotKey } from './group-watch.js';
import { describeGroupAssignment } from '../topics/group-assignment.js';
import { checkRecorderOptions } from './options.js';
import type { LagSample, RecordDecoder, RecordedMessage } from './types.js';
import type { GroupSnapshot } from '../topics/group-assignment.js';
import { subscribeWhenKnown } from '../clients/subscribe.js';
import { missingCodecError } from '../clients/codecs.js';
import type { TopicError } from '../errors.js';

export interface FlowRecorderOptions {
  readonly kafka: KafkaClient;
  readonly config: GamelanKafkaConfig;
  /** How records become messages (default: the dialect's validating decoder, recordDecoderFor(dialect); decodeForRecorder for spec). */
  readonly decode?: RecordDecoder;
  /** The wire dialect of the flow (default `spec`): its decoder, and what matchers may assume (e.g. unkeyed events in upstream). */
  readonly dialect?: DialectName;
  /** Its own group, so it never takes records from anybody (default: a fresh unique id). */
  readonly groupId?: string;
  /** Consumer groups whose assignments to record over time. */
  readonly watchGroups?: readonly string[];
  /** How often to poll group assignments (default 200 ms). */
  readonly groupPollMs?: number;
  /** Also sample the watched groups' lag on the tasks topic at each poll (default true; the HTML report charts it). */
  readonly sampleLag?: boolean;
  /** Also watch every consumer group whose id passes (groups are listed about once a second), e.g. a workspace's own. */
  readonly discoverGroups?: (groupId: string) => boolean;
}

export type MessageFilter = (m: RecordedMessage) => boolean;

const field = (value: unknown, name: string): string | undefined => {
  const v = (value as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Taps all five topics from the beginning with its own group and keeps a typed, indexed flow:
 * every record with topic, partition, offset, key, headers, timestamp and decoded value, by run,
 * task and tenant; plus the assignments of watched groups over time.
 */
export class FlowRecorder implements AsyncDisposable {
  readonly groupId: string;
  /** The wire dialect of the flow: matchers do not assume what it does not give (per-run order of unkeyed events). */
  readonly dialect: DialectName;
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #decode: RecordDecoder;
  readonly #roleOf: Map<string, TopicRole>;
  readonly #messages: RecordedMessage[] = [];
  readonly #byRole = new Map<TopicRole, RecordedMessage[]>(TOPIC_ROLES.map((role) => [role, []]));
  readonly #byRun = new Map<string, RecordedMessage[]>();
  readonly #byTask = new Map<string, RecordedMessage[]>();
  readonly #byTenant = new Map<string, RecordedMessage[]>();
  readonly #listeners = new Set<(m: RecordedMessage) => void>();
  /** Highest offset recorded per topic-partition: what a rebalance makes the group read again is recorded once. */
  readonly #recordedUpTo = new Map<string, bigint>();
  readonly #groups = new Map<string, GroupSnapshot[]>();
  readonly #lag = new Map<string, LagSample[]>();
  #tasksTopic = '';
  #poller: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Aborted with the reason the recorder can read no more (a batch its kafkajs has no codec for). */
  readonly #failed = new AbortController();

  private constructor(options: FlowRecorderOptions) {
    this.groupId = options.groupId ?? `gamelan-recorder-${randomUUID()}`;
    this.dialect = options.dialect ?? 'spec';
    this.#decode = options.decode ?? recordDecoderFor(this.dialect);
    const names = topicNames(options.config);
    this.#roleOf = new Map(TOPIC_ROLES.map((role) => [names[role], role]));
    this.#tasksTopic = names.tasks;
    this.#consumer = options.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
    });
    this.#consumer.on(this.#consumer.events.CRASH, ({ payload }) => {
      const error = missingCodecError(payload.error, 'FlowRecorder', [...this.#roleOf.keys()]);
      if (error && !this.#failed.signal.aborted) this.#failed.abort(error);
    });
    this.#admin = options.kafka.admin();
  }

  /**
   * Why the recorder stopped reading, when it did (TOPIC_READ_FAILED: a compressed batch its kafkajs client has no
   * codec for); undefined while it reads. `waitForMessage` fails at once with it instead of waiting its timeout.
   */
  get failure(): TopicError | undefined {
    return this.#failed.signal.aborted ? (this.#failed.signal.reason as TopicError) : undefined;
  }

  static async start(options: FlowRecorderOptions): Promise<FlowRecorder> {
    checkRecorderOptions(options);
    const recorder = new FlowRecorder(options);
    await recorder.#start(options);
    return recorder;
  }

  async #start(options: FlowRecorderOptions): Promise<void> {
    await Promise.all([this.#consumer.connect(), this.#admin.connect()]);
    await subscribeWhenKnown(this.#consumer, { topics: [...this.#roleOf.keys()], fromBeginning: true });
    const joined = new Promise<void>((resolve) => {
      const off = this.#consumer.on(this.#consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await this.#consumer.run({
      autoCommit: true,
      // Whole fetched batches, every partition of every topic at once: the recorder keeps up with the harness at full speed.
      partitionsConsumedConcurrently: TOPIC_ROLES.length * Math.max(1, options.config.partitions),
      eachBatch: async ({ batch }) => {
        const where = `${batch.topic}:${batch.partition}`;
        const upTo = this.#recordedUpTo.get(where) ?? -1n;
        for (const [i, message] of batch.messages.entries()) {
          if (BigInt(message.offset) > upTo) this.#record(batch.topic, batch.partition, message);
          // Decoding is synchronous: let timers (heartbeats of the clients sharing this process) run in between.
          if (i % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
        }
        const last = batch.messages.at(-1);
        if (last && BigInt(last.offset) > upTo) this.#recordedUpTo.set(where, BigInt(last.offset));
      },
    });
    await joined;
    for (const groupId of options.watchGroups ?? []) this.#groups.set(groupId, []);
    const discover = options.discoverGroups;
    if (this.#groups.size > 0 || discover) {
      let polls = 0;
      const poll = async () => {
        if (discover && polls++ % 5 === 0) await this.#discover(discover).catch(() => undefined);
        for (const groupId of [...this.#groups.keys()]) {
          await this.snapshotGroup(groupId).catch(() => undefined);
          // Lag of the tasks topic means something only for a group that reads it (not the engine's, say).
          if (options.sampleLag !== false && this.#readsTasks(groupId))
            await this.#sampleLag(groupId).catch(() => undefined);
        }
        if (!this.#stopped) this.#poller = setTimeout(poll, options.groupPollMs ?? 200);
      };
      await poll();
    }
  }

  #record(topic: string, partition: number, message: ConsumedMessage): void {
    const role = this.#roleOf.get(topic)!;
    const decoded = this.#decode(role, {
      key: message.key,
      value: message.value,
      headers: message.headers ?? {},
      timestamp: message.timestamp,
    });
    const headers = headersToText(message.headers);
    const recorded: RecordedMessage = {
      topic,
      role,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers,
      timestamp: Number(message.timestamp),
      value: decoded.ok ? decoded.value : undefined,
      ...(decoded.ok ? {} : { decodeError: decoded.reason }),
      rawBase64: message.value?.toString('base64') ?? null,
      receivedAt: Date.now(),
    };
    this.#messages.push(recorded);
    this.#byRole.get(role)!.push(recorded);
    const index = (map: Map<string, RecordedMessage[]>, key: string | undefined) => {
      if (key === undefined) return;
      const list = map.get(key) ?? [];
      list.push(recorded);
      map.set(key, list);
    };
    // Dead letters keep the original record's key, which is the run id for run-keyed topics.
    index(this.#byRun, field(recorded.value, 'runId') ?? (role === 'dlq' ? (recorded.key ?? undefined) : undefined));
    index(this.#byTask, field(recorded.value, 'taskId'));
    index(this.#byTenant, field(recorded.value, 'tenantId'));
    for (const listener of this.#listeners) listener(recorded);
  }

  /** Record the current assignment of a group (also done periodically for watched groups). */
  async snapshotGroup(groupId: string): Promise<GroupSnapshot> {
    const snapshot = await describeGroupAssignment(this.#admin, groupId);
    const history = this.#groups.get(groupId) ?? [];
    const last = history.at(-1);
    if (!last || snapshotKey(last) !== snapshotKey(snapshot)) history.push(snapshot);
    this.#groups.set(groupId, history);
    return snapshot;
  }

  async #discover(accept: (groupId: string) => boolean): Promise<void> {
    const { groups } = await this.#admin.listGroups();
    for (const { groupId } of groups)
      if (groupId !== this.groupId && !this.#groups.has(groupId) && accept(groupId)) this.#groups.set(groupId, []);
  }

  #readsTasks(groupId: string): boolean {
    return (this.#groups.get(groupId) ?? []).some((s) =>
      s.members.some((m) => (m.assignment[this.#tasksTopic]?.length ?? 0) > 0),
    );
  }

  /** Committed versus end offsets of the tasks topic; kept only when it differs from the sample before. */
  async #sampleLag(groupId: string): Promise<void> {
    const topic = this.#tasksTopic;
    const [committed, ends] = await Promise.all([
      this.#admin.fetchOffsets({ groupId, topics: [topic] }),
      this.#admin.fetchTopicOffsets(topic),
    ]);
    const partitions = lagOf(committed.find((c) => c.topic === topic)?.partitions ?? [], ends);
    const history = this.#lag.get(groupId) ?? [];
    const last = history.at(-1);
    if (!last || JSON.stringify(last.partitions) !== JSON.stringify(partitions))
      history.push({ at: Date.now(), groupId, topic, partitions });
    this.#lag.set(groupId, history);
  }

  /** The watched groups' lag on the tasks topic over time (each sample differs from the one before). */
  lagHistory(groupId: string): readonly LagSample[] {
    return this.#lag.get(groupId) ?? [];
  }

  /** The groups whose assignments (and lag) are recorded. */
  watchedGroups(): readonly string[] {
    return [...this.#groups.keys()];
  }

  /** Every snapshot that differed from the one before, oldest first. */
  groupHistory(groupId: string): readonly GroupSnapshot[] {
    return this.#groups.get(groupId) ?? [];
  }

  messages(filter?: MessageFilter): readonly RecordedMessage[] {
    return filter ? this.#messages.filter(filter) : [...this.#messages];
  }

  /** The records of one role, in arrival order (indexed: no scan of the whole flow). */
  ofRole<T = unknown>(role: TopicRole): readonly RecordedMessage<T>[] {
    return [...(this.#byRole.get(role) ?? [])] as RecordedMessage<T>[];
  }

  byRun(runId: string): readonly RecordedMessage[] {
    return this.#byRun.get(runId) ?? [];
  }

  byTask(taskId: string): readonly RecordedMessage[] {
    return this.#byTask.get(taskId) ?? [];
  }

  byTenant(tenantId: string): readonly RecordedMessage[] {
    return this.#byTenant.get(tenantId) ?? [];
  }

  /** Listen to records as they arrive; returns the unsubscribe function. */
  onMessage(listener: (m: RecordedMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Wait until the flow holds a record matching `predicate`. */
  async waitForMessage(
    predicate: MessageFilter,
    timeoutMs: number,
    description = 'a matching record',
  ): Promise<RecordedMessage> {
    let seen = 0; // each poll looks only at what arrived since the last one
    const probe = () => {
      for (; seen < this.#messages.length; seen++) if (predicate(this.#messages[seen]!)) return this.#messages[seen];
      return undefined;
    };
    try {
      return await waitFor(probe, {
        timeoutMs,
        intervalMs: 25,
        description,
        describeLast: () => `${this.#messages.length} records`,
        signal: this.#failed.signal,
      });
    } catch (error) {
      throw this.failure ?? error; // the sleep's AbortError, when the recorder stopped reading: say why
    }
  }

  /** The whole flow as JSON lines (one record per line). */
  toJsonLines(): string {
    return this.#messages.map((m) => JSON.stringify(m)).join('\n') + (this.#messages.length ? '\n' : '');
  }

  exportJsonLines(file: string): void {
    writeFileSync(file, this.toJsonLines());
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#poller);
    await Promise.allSettled([this.#consumer.disconnect(), this.#admin.disconnect()]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

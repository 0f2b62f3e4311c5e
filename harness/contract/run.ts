import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, KafkaClient } from '../clients/client-api.js';
import { describeGroup } from '../clients/group-describe.js';
import type { StartedBroker } from '../brokers/types.js';
import type { ClientSecurity } from '../config/security.js';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';
import { type Recording, recordingOf } from '../recorder/recording.js';
import { openWorkspace, type RemoveWhenStopped } from '../workspace/workspace.js';
import type { ContractCase } from './cases.js';
import type { DialectName } from '../vocabulary.js';
import { answeredTaskId, type CaseReport, checkContract } from './check.js';
import { ResultObserver } from './observe.js';
import type { Violation } from './rules.js';
import { droppedFinding, type PoisonRecordReport, poisonFates } from './poison.js';
import { type SentRecord, sendCases } from './send.js';

/** Where the executor under test connects: what the external executor gets in its environment. */
export interface ContractConnection {
  readonly kafka: KafkaClient;
  readonly bootstrapServers: readonly string[];
  /** The run's configuration: its own topics and group id. */
  readonly config: GamelanKafkaConfig;
  readonly topics: ReturnType<typeof topicNames>;
  readonly groupId: string;
  readonly executorType: string;
  /** The wire dialect of the run: the tasks it sends, how results are judged (default `spec`). */
  readonly dialect?: DialectName;
  /** How the executor connects (protocol, credentials, CA); default plaintext. */
  readonly security?: ClientSecurity;
}

/** An executor under test, started and joined to its group. */
export interface StartedContractTarget {
  /** Why it is gone (e.g. `the executor exited with code 3`), or undefined while it runs. */
  exited(): string | undefined;
  /** Violations it found itself (the in-process output checks). */
  violations?(): readonly Violation[];
  /** Its last output lines, for messages. */
  outputTail?(): string;
  stop(): Promise<void>;
}

export interface RunContractOptions {
  readonly broker: StartedBroker;
  /** On a cluster the caller did not start: remove the run's topics and groups when it ends. */
  readonly removeWhenStopped?: RemoveWhenStopped;
  /** The base gamelan.kafka.* configuration; each run gets its own topics and group from it. */
  readonly config: GamelanKafkaConfig;
  readonly executorType: string;
  readonly cases: readonly ContractCase[];
  /** Start the executor and resolve once it has joined its group. */
  readonly start: (connection: ContractConnection) => Promise<StartedContractTarget>;
  /** How long to wait for every expected answer (default 30 s). */
  readonly answerTimeoutMs?: number;
  /** After the last expected answer, how long to keep reading for answers that must not come (default 1.5 s). */
  readonly settleMs?: number;
  readonly onProgress?: (message: string) => void;
  /** Given what a recorder saw of the run (tasks, answers, dead letters, the group), when the caller wants it (the HTML report). */
  readonly onRecording?: (recording: Recording) => void;
  /** The wire dialect (default `spec`): results are judged as an engine of that dialect reads them. The cases must be built for it. */
  readonly dialect?: DialectName;
  /** Compatibility cases fail the run (default false: they are reported as notes). */
  readonly strictCompat?: boolean;
  /**
   * Every "should" fails the run (default false: a warning): an unreadable record the executor got past without
   * dead-lettering or answering it ("dropped without a trace").
   */
  readonly strict?: boolean;
}

/** A compatibility case's finding: reported beside the contract, not failing it (unless strict). */
/** The optional settings the contract's front ends (handler, executor process) pass through as given. */
export type ContractRunSettings = Pick<
  RunContractOptions,
  'dialect' | 'strictCompat' | 'strict' | 'answerTimeoutMs' | 'settleMs' | 'onProgress' | 'onRecording'
>;

/** Keep only the settings that are set (absent stays absent: the options type has exact optional properties). */
export function contractRunSettings(given: {
  readonly [K in keyof ContractRunSettings]?: ContractRunSettings[K] | undefined;
}): ContractRunSettings {
  return Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined && value !== false),
  ) as ContractRunSettings;
}

export interface CompatNote {
  readonly case: string;
  /** The dialect whose wire the case used. */
  readonly dialect: DialectName;
  readonly note: string;
  /** What a strict run would fail on (empty: the executor tolerates the other dialect too). */
  readonly findings: readonly Violation[];
}

export interface ContractReport {
  readonly executorType: string;
  /** The dialect the results were judged in. */
  readonly dialect: DialectName;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly bootstrapServers: readonly string[];
  readonly topics: ReturnType<typeof topicNames>;
  readonly groupId: string;
  readonly passed: number;
  readonly failed: number;
  readonly cases: readonly CaseReport[];
  /** Every violation, in case order. */
  readonly violations: readonly Violation[];
  /** Records the executor put on the dead-letter topic (poison handled the spec's way). */
  readonly deadLettered: number;
  /** Compatibility cases and what they found (failing only with strictCompat). */
  readonly compatNotes: readonly CompatNote[];
  readonly strictCompat: boolean;
  /** What became of each unreadable record sent (dead-lettered, answered, dropped, not consumed, undetermined). */
  readonly poisonRecords: readonly PoisonRecordReport[];
  /** The "should"s that were not met ("dropped without a trace"): warnings, not failing the run unless strict. */
  readonly warnings: readonly Violation[];
  /** Whether the "should"s failed the run (then `warnings` is empty and they are among `violations`). */
  readonly strict: boolean;
}

/** One contract run: a workspace (own topics and group) → observer → executor joined → cases sent → answers awaited → checked. */
export async function runContract(options: RunContractOptions): Promise<ContractReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const dialect = options.dialect ?? 'spec';
  // The run's own topics and executors' group; an observer reads what the executor answers.
  await using workspace = await openWorkspace(options.broker, options.config, {
    name: `c-${options.executorType}`,
    clientId: `gamelan-contract-${options.executorType}`,
    overrides: {
      consumer: { groupId: `${options.executorType}-executors`, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 },
    },
    dialect,
    // Fresh topics answer "not the leader" for a moment; kafkajs retries, and its ERROR lines would only bury the report.
    clientLogLevel: 'nothing',
    ...(options.removeWhenStopped ? { removeWhenStopped: options.removeWhenStopped } : {}),
  });
  const { kafka, config, topics } = workspace;
  const observer = workspace.own(await ResultObserver.start(kafka, topics, workspace.groupId('contract-observer')));
  const recorder = options.onRecording
    ? await workspace.startRecorder({ watchGroups: [config.consumer.groupId] })
    : undefined;
  let target: StartedContractTarget | undefined;
  let gone: string | undefined;
  let sent: SentRecord[] = [];
  let afterStop: { committed: ReadonlyMap<number, bigint>; readToEnd: boolean } = {
    committed: new Map(),
    readToEnd: false,
  };
  try {
    const connection: ContractConnection = {
      kafka,
      bootstrapServers: workspace.bootstrapServers,
      config,
      topics,
      groupId: config.consumer.groupId,
      executorType: options.executorType,
      dialect,
      security: options.broker.security,
    };
    progress(`starting the executor (group ${connection.groupId})`);
    target = await options.start(connection);
    progress(`executor joined; sending ${options.cases.length} cases to ${topics.tasks}`);
    sent = await sendCases(kafka, topics.tasks, options.cases);
    gone = await awaitAnswers(options, observer, target);
    if (!gone) await sleep(options.settleMs ?? 1_500);
    gone ??= target.exited();
    // The executor stops first (its last commit and dead letters go out); then what it left is read to the end.
    await target.stop();
    afterStop = await readWhatItLeft(
      workspace.admin,
      observer,
      topics.tasks,
      config.consumer.groupId,
      Math.max(options.settleMs ?? 1_500, 5_000),
      gone === undefined,
    );
  } finally {
    await target?.stop(); // the executor first: the observer keeps reading until it is gone
    if (recorder) options.onRecording?.(recordingOf(recorder));
    await workspace.stop();
  }
  const extra: Violation[] = [...(target?.violations?.() ?? [])];
  const checked = checkContract(options.cases, observer.results, extra, {
    dialect,
    strictCompat: options.strictCompat ?? false,
  });
  const strict = options.strict ?? false;
  const poisonRecords = poisonFates({
    sent,
    deadLetters: observer.deadLetters,
    results: observer.results,
    dlqTopic: topics.dlq,
    ...afterStop,
  });
  const findings = poisonRecords.filter((p) => p.fate === 'dropped').map(droppedFinding);
  // Strict: a "should" not met fails its case like a violation.
  const reports = strict
    ? checked.map((r) => {
        const own = findings.filter((f) => f.case === r.name);
        return own.length === 0 ? r : { ...r, status: 'failed' as const, violations: [...r.violations, ...own] };
      })
    : checked;
  if (gone) {
    const tail = target?.outputTail?.();
    const violation: Violation = {
      case: 'executor',
      taskId: undefined,
      rule: 'executor-alive',
      message: `${gone} while the contract was running${tail ? `; its last output:\n${tail}` : ''}`,
    };
    reports.push({
      name: 'executor',
      kind: 'answer',
      taskId: '',
      status: 'failed',
      results: 0,
      violations: [violation],
    });
  }
  const failed = reports.filter((r) => r.status === 'failed').length;
  return {
    executorType: options.executorType,
    dialect,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    bootstrapServers: options.broker.bootstrapServers,
    topics,
    groupId: config.consumer.groupId,
    passed: reports.length - failed,
    failed,
    cases: reports,
    violations: reports.flatMap((r) => r.violations),
    deadLettered: observer.deadLetters.length,
    compatNotes: reports.flatMap((r) =>
      r.compat ? [{ case: r.name, dialect: r.compat.dialect, note: r.compat.note, findings: r.compat.findings }] : [],
    ),
    strictCompat: options.strictCompat ?? false,
    poisonRecords,
    warnings: strict ? [] : findings,
    strict,
  };
}

/**
 * After the executor stopped: the dlq and results topics read to their end (so a dead letter it wrote is not
 * missed), its group left (so its last commit is in; removing the group with the run then finds it empty) and
 * its committed offsets on the tasks topic (how far it got). Failures leave the answer cautious: not read to the
 * end (nothing is called dropped), no committed offsets.
 */
async function readWhatItLeft(
  admin: Admin,
  observer: ResultObserver,
  tasksTopic: string,
  groupId: string,
  timeoutMs: number,
  stoppedByUs: boolean,
): Promise<{ committed: ReadonlyMap<number, bigint>; readToEnd: boolean }> {
  const readToEnd = await observer.readToEnd(admin, timeoutMs).catch(() => false);
  // An executor that crashed left no LeaveGroup: it stays a member until its session times out, no wait helps.
  if (stoppedByUs) await leftItsGroup(admin, groupId, timeoutMs);
  const committed = new Map<number, bigint>();
  try {
    for (const t of await admin.fetchOffsets({ groupId, topics: [tasksTopic] })) {
      for (const p of t.partitions) if (/^\d+$/.test(p.offset)) committed.set(p.partition, BigInt(p.offset));
    }
  } catch {
    // No committed offsets known: only an answered task after a record shows the executor got past it.
  }
  return { committed, readToEnd };
}

/**
 * Until the executor's group (classic or consumer protocol) has no member: its last commit is final,
 * and the group can be removed with the run. Bounded: an executor killed without leaving stays a member until
 * its session times out, and its offsets are as final then.
 */
async function leftItsGroup(admin: Admin, groupId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const group = await describeGroup(admin, groupId).catch(() => undefined);
    if (group === undefined || group.members.length === 0) return;
    await sleep(100);
  }
}

/** Until every case that expects an answer has one, the executor is gone (returns why) or the time is up. */
async function awaitAnswers(
  options: RunContractOptions,
  observer: ResultObserver,
  target: StartedContractTarget,
): Promise<string | undefined> {
  const expected = new Set(options.cases.filter((c) => c.kind !== 'foreign').map((c) => c.task.taskId));
  const deadline = Date.now() + (options.answerTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const gone = target.exited();
    if (gone) return gone;
    for (const r of observer.results) {
      const taskId = taskIdIn(r.value);
      if (taskId) expected.delete(taskId);
    }
    if (expected.size === 0) return undefined;
    await sleep(100);
  }
  return undefined;
}

function taskIdIn(value: Buffer | null): string | undefined {
  if (!value) return undefined;
  try {
    return answeredTaskId(JSON.parse(value.toString('utf8')) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

import { readRecordIn } from '../protocol/dialects/read.js';
import { answeredTaskId, type ObservedRecord } from './check.js';
import type { Violation } from './rules.js';
import type { SentRecord } from './send.js';

// What became of each unreadable (poison) record the contract sent. Pure: the records sent, what the observer
// read and the executor group's committed offsets in, one fate per poison record out, so every rule has a unit test.

/**
 * - `dead-lettered`: a dead letter on the dlq topic names it (Spring `kafka_dlt-*` headers, the Java
 *   `DeadLetterMessage`, SmallRye `dead-letter-*` headers);
 * - `answered`: a result that answers no task sent, keyed like it, came back for it;
 * - `dropped`: the executor got past it (its committed offset is beyond it, or a later task with its key on its
 *   partition was answered) and left no trace: "dropped without a trace";
 * - `not-consumed`: the executor never got past it (the contract's `poison-survived` says what that broke);
 * - `undetermined`: the executor got past it, but the harness could not read the dlq and results topics to
 *   their end, so a dead letter may yet come: not called dropped.
 */
export type PoisonFate = 'dead-lettered' | 'answered' | 'dropped' | 'not-consumed' | 'undetermined';

/** One poison record and its fate. */
export interface PoisonRecordReport {
  readonly case: string;
  /** The poison record's name (`not-json`, `not-a-task`, `tombstone`). */
  readonly name: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly fate: PoisonFate;
  /** Why: the dead letter or answer that names it, or what shows the executor got past it (or did not). */
  readonly detail: string;
}

/** What the run saw, for judging the poison records. */
export interface PoisonEvidence {
  /** Every record the contract sent, in order, with where it landed. */
  readonly sent: readonly SentRecord[];
  readonly deadLetters: readonly ObservedRecord[];
  readonly results: readonly ObservedRecord[];
  /** The dead-letter topic the harness read (named in the finding). */
  readonly dlqTopic: string;
  /** The executor group's committed offset on the tasks topic, by partition (the next offset it would read); absent: none. */
  readonly committed: ReadonlyMap<number, bigint>;
  /** Whether the observer read the dlq and results topics to their end after the executor stopped. */
  readonly readToEnd: boolean;
}

interface Letter {
  readonly offset: string;
  readonly originalTopic: string | undefined;
  readonly originalPartition: number | undefined;
  readonly originalOffset: number | undefined;
  readonly originalKey: string | undefined;
  readonly payload: string | null;
  /** Which of the three formats named it. */
  readonly format: string;
}

/** A dead letter read in any of the three formats the harness knows; undefined when none reads it. */
function letterOf(record: ObservedRecord): Letter | undefined {
  const read = readRecordIn(
    'dlq',
    { key: record.key, value: record.value, headers: record.headers ?? {}, timestamp: record.timestamp },
    'auto',
  );
  if (!read.ok) return undefined;
  const m = read.record.message;
  const headers = Object.keys(record.headers ?? {});
  const format = headers.some((h) => h.startsWith('kafka_dlt-'))
    ? 'Spring kafka_dlt-* headers'
    : headers.some((h) => h.startsWith('dead-letter-'))
      ? 'SmallRye dead-letter-* headers'
      : 'a DeadLetterMessage';
  return {
    offset: record.offset,
    originalTopic: m.originalTopic,
    originalPartition: m.originalPartition ?? undefined,
    originalOffset: m.originalOffset ?? undefined,
    originalKey: m.originalKey ?? undefined,
    payload: m.payload,
    format,
  };
}

/** Does this dead letter name this record? By topic and offset (and partition when given); else by topic, key and value. */
function names(letter: Letter, p: SentRecord): boolean {
  if (letter.originalTopic !== p.topic) return false;
  if (letter.originalOffset !== undefined)
    return (
      String(letter.originalOffset) === p.offset &&
      (letter.originalPartition === undefined || letter.originalPartition === p.partition)
    );
  return (letter.originalKey ?? null) === p.key && letter.payload === p.value;
}

/** One fate per poison record sent, in the order they were sent. */
export function poisonFates(evidence: PoisonEvidence): PoisonRecordReport[] {
  const poison = evidence.sent.filter((s) => s.kind === 'poison');
  if (poison.length === 0) return [];
  const sentValues = new Set(evidence.sent.map((s) => s.value));
  const letters = evidence.deadLetters.map(letterOf).filter((l): l is Letter => l !== undefined);
  const used = new Set<Letter>();
  const traced = new Map<SentRecord, string>();
  const fateOf = new Map<SentRecord, PoisonFate>();
  // Exact references first (offset, or key and value), then a Java DeadLetterMessage whose originalValue is
  // no value that was sent (Java's toString() of the bytes) and whose topic and key are the record's.
  for (const p of poison) {
    const letter = letters.find((l) => !used.has(l) && names(l, p));
    if (letter) {
      used.add(letter);
      traced.set(p, `dead letter at ${evidence.dlqTopic} offset ${letter.offset} (${letter.format})`);
      fateOf.set(p, 'dead-lettered');
    }
  }
  for (const p of poison.filter((x) => !traced.has(x))) {
    const letter = letters.find(
      (l) =>
        !used.has(l) &&
        l.originalTopic === p.topic &&
        l.originalOffset === undefined &&
        (l.originalKey ?? null) === p.key &&
        !sentValues.has(l.payload),
    );
    if (letter) {
      used.add(letter);
      traced.set(
        p,
        `dead letter at ${evidence.dlqTopic} offset ${letter.offset} (${letter.format}, its originalValue is not the record's bytes; matched by topic and key)`,
      );
      fateOf.set(p, 'dead-lettered');
    }
  }
  // An answer: a result that answers no task sent, keyed like the record (it already fails result-unknown-task).
  const sentTaskIds = new Set(evidence.sent.filter((s) => s.kind === 'task').map((s) => s.name));
  const answered = new Set<string>();
  const strays: ObservedRecord[] = [];
  for (const r of evidence.results) {
    const taskId = answeredTaskId(jsonOf(r.value));
    if (taskId !== undefined && sentTaskIds.has(taskId)) answered.add(taskId);
    else strays.push(r);
  }
  for (const p of poison.filter((x) => !traced.has(x))) {
    const i = strays.findIndex((r) => r.key === p.key);
    if (i >= 0) {
      traced.set(
        p,
        `answered by the result at results partition ${strays[i]!.partition} offset ${strays[i]!.offset}, which answers no task sent`,
      );
      fateOf.set(p, 'answered');
      strays.splice(i, 1);
    }
  }
  return poison.map((p) => {
    const base = { case: p.case, name: p.name, topic: p.topic, partition: p.partition, offset: p.offset };
    const trace = traced.get(p);
    if (trace) return { ...base, fate: fateOf.get(p)!, detail: trace };
    const past = gotPast(p, evidence, answered);
    if (past === undefined) {
      const committed = evidence.committed.get(p.partition);
      return {
        ...base,
        fate: 'not-consumed',
        detail: `the executor never got past it (${committed === undefined ? 'no committed offset' : `committed offset ${committed}`} on partition ${p.partition}, and no task after it there was answered)`,
      };
    }
    if (!evidence.readToEnd) {
      return {
        ...base,
        fate: 'undetermined',
        detail: `the executor got past it (${past}), but the harness could not read ${evidence.dlqTopic} and the results topic to their end, so a dead letter may still come`,
      };
    }
    return {
      ...base,
      fate: 'dropped',
      detail: `the executor got past it (${past}) and wrote no dead letter to ${evidence.dlqTopic} and no answer`,
    };
  });
}

/** What shows the executor got past the record, or undefined. */
function gotPast(p: SentRecord, evidence: PoisonEvidence, answered: ReadonlySet<string>): string | undefined {
  const committed = evidence.committed.get(p.partition);
  if (committed !== undefined && committed > BigInt(p.offset))
    return `its committed offset on partition ${p.partition} is ${committed}`;
  // Only a task with the same key: an executor that processes a partition's keys in parallel keeps order per key only.
  const later = evidence.sent.find(
    (s) =>
      s.kind === 'task' &&
      s.topic === p.topic &&
      s.partition === p.partition &&
      s.key === p.key &&
      BigInt(s.offset) > BigInt(p.offset) &&
      answered.has(s.name),
  );
  return later ? `the task after it with its key, at offset ${later.offset}, was answered` : undefined;
}

function jsonOf(value: Buffer | null): Record<string, unknown> | undefined {
  if (!value) return undefined;
  try {
    const json: unknown = JSON.parse(value.toString('utf8'));
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Where a poison record is, as every output names it. */
export const poisonWhere = (p: Pick<PoisonRecordReport, 'name' | 'topic' | 'partition' | 'offset'>) =>
  `"${p.name}" (${p.topic} partition ${p.partition} offset ${p.offset})`;

/** The "dropped without a trace" finding of a poison record (a warning; with `strict`, a violation). */
export function droppedFinding(p: PoisonRecordReport): Violation {
  return {
    case: p.case,
    taskId: undefined,
    rule: 'poison-traced',
    message: `dropped without a trace: unreadable record ${poisonWhere(p)}: ${p.detail}; dead-letter records you cannot read (Spring kafka_dlt-* headers, a DeadLetterMessage, or SmallRye dead-letter-* headers)`,
    record: { topic: p.topic, partition: p.partition, offset: p.offset },
  };
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ContractError } from '../errors.js';
import { decodeMessage, type TaskMessage, taskIdOf } from '../protocol/index.js';
import { dialectNamed } from '../protocol/dialects/read.js';
import type { DialectName } from '../vocabulary.js';
import { buildTask } from '../../fixtures/builders/index.js';

// The cases a contract run sends: golden tasks (as their JSON, upstream Java names included), seeded faker
// tasks, tasks for another executor type, a redelivered task, poison records before a task, and the
// author's own tasks. Every run gets fresh run ids (`<runId>-<tag>`), so reruns never collide.

/** A task as it goes on the wire: a TaskMessage in JSON form (spec or upstream Java field names). */
export type WireTask = Readonly<Record<string, unknown>>;

/** A record that is not a valid task (sent before a valid one to see the consumer survive it). */
export interface PoisonRecord {
  readonly name: string;
  /** The value bytes as text; null sends a tombstone. */
  readonly value: string | null;
}

interface CaseBase {
  /** `golden/full`, `faker/seed-2`, `foreign/…`, `redelivery/…`, `poison/…`, `author/<name>`. */
  readonly name: string;
  /** The task's JSON as sent. */
  readonly wire: WireTask;
  /** The same task decoded by the protocol (the values a result must echo). */
  readonly task: TaskMessage;
  /**
   * Set when the case only probes tolerance of another dialect (in spec: a task with the upstream Java names):
   * what it finds is a compatibility note, not a contract violation, unless the run is strict (`--strict-compat`).
   */
  readonly compat?: CompatProbe;
}

/** What a compatibility case probes. */
export interface CompatProbe {
  /** The dialect whose wire the case uses. */
  readonly dialect: DialectName;
  readonly note: string;
}

/** Answered once (or more) with a result that follows the contract. */
export interface AnswerCase extends CaseBase {
  readonly kind: 'answer';
}
/** Addressed to another executor type: must not be answered. */
export interface ForeignCase extends CaseBase {
  readonly kind: 'foreign';
}
/** Sent `copies` times with the same taskId and attempt: every answer must agree. */
export interface RedeliveryCase extends CaseBase {
  readonly kind: 'redelivery';
  readonly copies: number;
}
/** Poison records on the task's partition, then the task: it must still be answered. */
export interface PoisonCase extends CaseBase {
  readonly kind: 'poison';
  readonly poison: readonly PoisonRecord[];
}

export type ContractCase = AnswerCase | ForeignCase | RedeliveryCase | PoisonCase;

export interface ContractCaseOptions {
  /** The executor type under test: answer cases target it. */
  readonly executorType: string;
  /** Golden tasks from fixtures/messages/valid/TaskMessage (default true). */
  readonly golden?: boolean;
  /** How many seeded faker tasks (default 5). */
  readonly fakerCount?: number;
  /** First faker seed (default 1). */
  readonly seed?: number;
  /** The executor author's own tasks (JSON form; targetExecutor is set to the type when absent). */
  readonly tasks?: readonly { readonly name: string; readonly task: WireTask }[];
  /** Include the foreign, redelivery and poison cases (default true). */
  readonly robustness?: boolean;
  /** Suffix for run ids (default: random); fixed in tests for stable names. */
  readonly tag?: string;
  /**
   * The dialect the tasks are written in (default `spec`): `upstream` writes every task as the Java module's
   * KafkaTaskProducer does (executionToken, scheduledAt, taskId); in `spec`, golden tasks written with the
   * upstream names are compatibility probes (see ContractCase.compat).
   */
  readonly dialect?: DialectName;
}

/** From the source tree (harness/contract) or the built package (dist/harness/contract, fixtures at the package root). */
export const GOLDEN_TASKS_DIR =
  ['../../fixtures/messages/valid/TaskMessage', '../../../fixtures/messages/valid/TaskMessage']
    .map((p) => path.resolve(import.meta.dirname, p))
    .find((dir) => existsSync(dir)) ?? path.resolve(import.meta.dirname, '../../fixtures/messages/valid/TaskMessage');

export const POISON_RECORDS: readonly PoisonRecord[] = [
  { name: 'not-json', value: 'this is not JSON {' },
  { name: 'not-a-task', value: JSON.stringify({ hello: 'world', attempt: 'one' }) },
  { name: 'tombstone', value: null },
];

/** The cases of one contract run, in the order they are sent. */
export function contractCases(options: ContractCaseOptions): ContractCase[] {
  const type = options.executorType;
  const tag = options.tag ?? Math.random().toString(36).slice(2, 8);
  const seed = options.seed ?? 1;
  const cases: ContractCase[] = [];
  const dialect = options.dialect ?? 'spec';
  const add = (kind: ContractCase['kind'], name: string, wire: WireTask, extra: object = {}) => {
    const retagged = retag(name, wire, tag);
    const written =
      dialect === 'spec' ? retagged : { ...retagged, wire: dialectNamed(dialect).toWire('tasks', retagged.task).wire };
    const compat = dialect === 'spec' ? otherDialectNames(written.wire) : undefined;
    cases.push({ kind, name, ...written, ...(compat ? { compat } : {}), ...extra } as ContractCase);
  };

  if (options.robustness ?? true) {
    add('foreign', 'foreign/other-type', buildTask({ targetExecutor: `not-${type}` }, { seed: seed + 1000 }));
    add('poison', 'poison/before-task', buildTask({ targetExecutor: type }, { seed: seed + 2000 }), {
      poison: POISON_RECORDS,
    });
    add('redelivery', 'redelivery/same-attempt', buildTask({ targetExecutor: type }, { seed: seed + 3000 }), {
      copies: 2,
    });
  }
  if (options.golden ?? true) {
    for (const [name, wire] of goldenTasks()) add('answer', `golden/${name}`, { ...wire, targetExecutor: type });
  }
  for (let i = 0; i < (options.fakerCount ?? 5); i++) {
    add('answer', `faker/seed-${seed + i}`, buildTask({ targetExecutor: type }, { seed: seed + i }));
  }
  for (const { name, task } of options.tasks ?? []) {
    add(
      'answer',
      `author/${name}`,
      task.targetExecutor === undefined || task.targetExecutor === null ? { ...task, targetExecutor: type } : task,
    );
  }
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name))
      throw new ContractError(
        'CONTRACT_CASE_INVALID',
        `two contract cases are named "${c.name}": give each author task its own name.`,
        { value: c.name },
      );
    names.add(c.name);
  }
  return cases;
}

/** In spec: a task written with the upstream Java names probes tolerance of the other dialect (a README executor need not read them). */
function otherDialectNames(wire: WireTask): CompatProbe | undefined {
  const names = dialectNamed('spec')
    .check('tasks', { key: typeof wire.runId === 'string' ? wire.runId : null, value: JSON.stringify(wire) })
    .filter((d) => d.rule === 'field.name')
    .map((d) => d.field.replace(/^\$\./, ''));
  if (names.length === 0) return undefined;
  return {
    dialect: 'upstream',
    note: `written with the upstream Java names (${names.join(', ')}), which the README does not use: whether your executor reads them is a compatibility finding, not a contract violation (--strict-compat makes it one; contract --dialect upstream checks the Java wire)`,
  };
}

/** The golden TaskMessage fixtures as JSON, by file name. */
export function goldenTasks(dir = GOLDEN_TASKS_DIR): [string, WireTask][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as WireTask]);
}

/** A fresh runId (and the taskId that follows from it), validated by the protocol. */
function retag(name: string, wire: WireTask, tag: string): { wire: WireTask; task: TaskMessage } {
  const runId = typeof wire.runId === 'string' ? `${wire.runId}-${tag}` : wire.runId;
  const fresh = { ...wire, runId, taskId: taskIdOf(String(runId), String(wire.nodeId), Number(wire.attempt)) };
  const decoded = decodeMessage('TaskMessage', fresh);
  if (!decoded.ok) {
    throw new ContractError(
      'CONTRACT_CASE_INVALID',
      `contract case "${name}" is not a valid TaskMessage: ${decoded.failure.error.message}`,
      {
        value: wire,
      },
    );
  }
  return { wire: fresh, task: decoded.message };
}

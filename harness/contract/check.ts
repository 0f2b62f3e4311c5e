import type { RecordHeaders } from '../clients/client-api.js';
import { isDeepStrictEqual } from 'node:util';
import { distance } from 'fastest-levenshtein';
import {
  decodeMessage,
  EXECUTION_STATUSES,
  TASK_RESULT_MESSAGE_ALIASES,
  taskIdOf,
  TaskResultMessageSchema,
} from '../protocol/index.js';
import { dialectNamed } from '../protocol/dialects/read.js';
import type { DialectName } from '../vocabulary.js';
import { NODE_EXECUTION_STATUSES, UpstreamTaskResultMessageSchema } from '../protocol/dialects/upstream/messages.js';
import type { CompatProbe, ContractCase } from './cases.js';
import { type ContractRule, fieldProblem, jsonType, show, type Violation } from './rules.js';

// Pure checks: the cases that were sent and the records read off the results topic in, a report out.
// No broker here, so every rule has a unit test.

/** A record as read off the results topic. */
export interface ObservedRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  /** The record's headers (read for dead letters: where the failed record came from). */
  readonly headers?: RecordHeaders;
  /** The record's timestamp, epoch ms as text (dead letters). */
  readonly timestamp?: string;
}

export interface CaseReport {
  readonly name: string;
  readonly kind: ContractCase['kind'];
  readonly taskId: string;
  readonly status: 'passed' | 'failed';
  /** Results seen for this task. */
  readonly results: number;
  /** What fails the run (empty for a compatibility case that found something, unless the run is strict). */
  readonly violations: readonly Violation[];
  /** A compatibility case: what it probes and what it found (reported as a note; `--strict-compat` fails on it). */
  readonly compat?: CompatProbe & { readonly findings: readonly Violation[] };
}

/** How the results are judged: the dialect the engine reading them speaks, and whether compatibility findings fail. */
export interface CheckOptions {
  /** Default `spec` (the README); `upstream`: as the Gamelan Java engine reads results. */
  readonly dialect?: DialectName;
  /** Compatibility cases fail the run like any other (default false: they are notes). */
  readonly strictCompat?: boolean;
}

/** What one dialect asks of a result: the fields it echoes, its token name, its statuses. */
interface ResultRules {
  readonly dialect: DialectName;
  readonly echoed: readonly string[];
  readonly tokenField: 'token' | 'executionToken';
  readonly knownFields: readonly string[];
  readonly coveredPaths: ReadonlySet<string>;
}

const rulesFor = (dialect: DialectName): ResultRules => {
  const tokenField = dialectNamed(dialect).tokenField;
  const echoed =
    dialect === 'spec'
      ? ['taskId', 'runId', 'nodeId', 'attempt', 'token']
      : ['runId', 'nodeId', 'attempt', 'executionToken'];
  const knownFields =
    dialect === 'spec'
      ? [...Object.keys(TaskResultMessageSchema.shape), ...Object.keys(TASK_RESULT_MESSAGE_ALIASES)]
      : Object.keys(UpstreamTaskResultMessageSchema.shape);
  /** Paths the specific rules already report, so the schema rule does not say the same thing twice. */
  const coveredPaths = new Set([
    '$',
    ...echoed.map((f) => `$.${f}`),
    '$.token',
    '$.executionToken',
    '$.status',
    '$.output',
    '$.error',
  ]);
  return { dialect, echoed, tokenField, knownFields, coveredPaths };
};

/** The other dialect's name of the token field. */
const otherTokenField = (field: 'token' | 'executionToken') => (field === 'token' ? 'executionToken' : 'token');

interface ParsedResult {
  readonly record: ObservedRecord;
  readonly json: Record<string, unknown> | undefined;
  readonly problem: string | undefined;
}

/**
 * The task a result answers: its taskId, else `runId:nodeId:attempt` (upstream results carry no taskId; the
 * README's rule for the id). Undefined when the value says neither.
 */
export function answeredTaskId(json: Record<string, unknown> | undefined): string | undefined {
  if (typeof json?.taskId === 'string') return json.taskId;
  const { runId, nodeId, attempt } = json ?? {};
  return typeof runId === 'string' && typeof nodeId === 'string' && typeof attempt === 'number'
    ? taskIdOf(runId, nodeId, attempt)
    : undefined;
}

/** Check every case against the records seen; `extra` adds violations found elsewhere (in-process output checks). */
export function checkContract(
  cases: readonly ContractCase[],
  records: readonly ObservedRecord[],
  extra: readonly Violation[] = [],
  options: CheckOptions = {},
): CaseReport[] {
  const rules = rulesFor(options.dialect ?? 'spec');
  const parsed = records.map(parse);
  const byTaskId = new Map<string, ParsedResult[]>();
  const unmatched: ParsedResult[] = [];
  const taskIds = new Set(cases.map((c) => c.task.taskId));
  for (const p of parsed) {
    const taskId = answeredTaskId(p.json);
    if (taskId !== undefined && taskIds.has(taskId)) byTaskId.set(taskId, [...(byTaskId.get(taskId) ?? []), p]);
    else unmatched.push(p);
  }
  const reports = cases.map((c) => {
    const results = byTaskId.get(c.task.taskId) ?? [];
    const violations = [...checkCase(c, results, rules), ...extra.filter((v) => v.case === c.name)];
    if (c.compat && !options.strictCompat) {
      return {
        ...report(c.name, c.kind, c.task.taskId, results.length, []),
        compat: { ...c.compat, findings: violations },
      };
    }
    return {
      ...report(c.name, c.kind, c.task.taskId, results.length, violations),
      ...(c.compat ? { compat: { ...c.compat, findings: violations } } : {}),
    };
  });
  if (unmatched.length > 0) {
    const violations = unmatched.map((p) => unknownTask(p));
    reports.push(report('unmatched-results', 'answer', '', unmatched.length, violations));
  }
  return reports;
}

function report(
  name: string,
  kind: ContractCase['kind'],
  taskId: string,
  results: number,
  violations: readonly Violation[],
): CaseReport {
  return { name, kind, taskId, status: violations.length === 0 ? 'passed' : 'failed', results, violations };
}

function checkCase(c: ContractCase, results: readonly ParsedResult[], rules: ResultRules): Violation[] {
  const v = (rule: ContractRule, message: string, value?: unknown): Violation => ({
    case: c.name,
    taskId: c.task.taskId,
    rule,
    message,
    value,
  });
  if (c.kind === 'foreign') {
    return results.map((r) =>
      v(
        'foreign-not-answered',
        `task for executor type "${String(c.task.targetExecutor)}" was answered (status ${show(r.json?.status)}); skip tasks whose targetExecutor is not yours`,
        r.json ?? r.problem,
      ),
    );
  }
  if (results.length === 0) {
    if (c.kind === 'poison') {
      return [
        v(
          'poison-survived',
          `task sent after ${c.poison.length} poison records (${c.poison.map((p) => p.name).join(', ')}) on its partition was never answered: the consumer stopped or skipped it; dead-letter records you cannot read and go on`,
        ),
      ];
    }
    return [v('answered', 'no result for the task arrived on the results topic')];
  }
  const violations = results.flatMap((r) => checkResult(c, r, v, rules));
  if (c.kind === 'redelivery' && results.length > 1) violations.push(...consistency(results, v));
  return dedupe(violations);
}

type MakeViolation = (rule: ContractRule, message: string, value?: unknown) => Violation;

function checkResult(c: ContractCase, r: ParsedResult, v: MakeViolation, rules: ResultRules): Violation[] {
  if (r.json === undefined)
    return [v('result-json', `${where(r.record)}: ${r.problem}`, r.record.value?.toString('utf8'))];
  const json = r.json;
  const out: Violation[] = [];
  const runId = c.task.runId;
  if (r.record.key !== runId) {
    // Named by what the key is (the taskId, none) where that says it all, so the same mistake reads the same in every case.
    const keyed =
      r.record.key === null ? 'with no key' : r.record.key === c.task.taskId ? 'by the taskId' : show(r.record.key);
    out.push(v('result-key', `result is keyed ${keyed}; results must be keyed by the runId`, r.record.key));
  }
  const unknown = Object.keys(json).filter((k) => !rules.knownFields.includes(k));
  for (const field of rules.echoed) {
    const isToken = field === rules.tokenField;
    const expected = isToken ? c.task.token : c.task[field as keyof typeof c.task];
    const actual = json[field];
    if (isDeepStrictEqual(actual, expected)) continue;
    const other = isToken ? otherTokenField(rules.tokenField) : undefined;
    const hint = unknown.find((k) => distance(k, field) <= 2 && k !== other);
    const otherName =
      other !== undefined && json[other] !== undefined
        ? rules.dialect === 'spec'
          ? ` (found ${show(other)}, the upstream Java name: the README's results carry ${show(field)}; contract --dialect upstream checks the Java wire)`
          : ` (found ${show(other)}, the README's name: the Gamelan Java engine reads ${show(field)} and drops a result without it)`
        : '';
    // Missing, null or of the wrong type: the same words in every case (the task's value adds nothing). A wrong
    // value of the right type names the value expected.
    const wrongValue = actual !== undefined && actual !== null && jsonType(actual) === jsonType(expected);
    const what =
      actual === undefined
        ? `${field}: missing field${otherName}${!otherName && hint ? ` (found unknown field ${show(hint)}: a misspelling of ${show(field)}?)` : ''}`
        : wrongValue
          ? `${field} is ${show(actual)}`
          : (fieldProblem(field, actual, jsonType(expected) as 'string' | 'number') ?? `${field} is ${show(actual)}`);
    const rule = (isToken ? 'echo-token' : `echo-${field}`) as ContractRule;
    const echo = `the result must echo the task's ${isToken ? `token as ${show(field)}` : field}${wrongValue ? ` ${show(expected)}` : ''}`;
    out.push(
      v(rule, `${what}; ${echo}`, otherName ? { [other!]: json[other!] } : hint ? { [hint]: json[hint] } : actual),
    );
  }
  const status = json.status;
  out.push(...statusViolations(status, v, rules));
  if (
    json.output !== undefined &&
    json.output !== null &&
    (typeof json.output !== 'object' || Array.isArray(json.output))
  ) {
    out.push(v('output-json', `output is ${show(json.output)}; it must be a JSON object (or absent)`, json.output));
  }
  out.push(...errorViolations(status, json.error, v, rules));
  out.push(...schemaViolations(json, v, rules));
  return out;
}

/** spec: SUCCESS, FAILURE or TIMEOUT. upstream: a NodeExecutionStatus name the engine's valueOf parses, and only COMPLETED succeeds. */
function statusViolations(status: unknown, v: MakeViolation, rules: ResultRules): Violation[] {
  const wrong = fieldProblem('status', status, 'string') ?? `status is ${show(status)}`;
  if (rules.dialect === 'spec') {
    return (EXECUTION_STATUSES as readonly unknown[]).includes(status)
      ? []
      : [v('status-allowed', `${wrong}; allowed: ${EXECUTION_STATUSES.join(', ')}`, status)];
  }
  if (status === 'COMPLETED' || status === 'FAILED') return [];
  if ((NODE_EXECUTION_STATUSES as readonly unknown[]).includes(status)) {
    return [
      v(
        'status-allowed',
        `status is ${show(status)}: the engine parses it but counts only COMPLETED as success, so the node fails; answer COMPLETED or FAILED`,
        status,
      ),
    ];
  }
  return [
    v(
      'status-allowed',
      `${wrong}; the engine's NodeExecutionStatus.valueOf throws on it and the result is dropped; allowed: COMPLETED (success) or FAILED`,
      status,
    ),
  ];
}

/** A failed result carries error { code, message }; upstream: a Map<String,String>, string values only. */
function errorViolations(status: unknown, error: unknown, v: MakeViolation, rules: ResultRules): Violation[] {
  const failed = rules.dialect === 'spec' ? status === 'FAILURE' || status === 'TIMEOUT' : status === 'FAILED';
  const out: Violation[] = [];
  const e = error as Record<string, unknown> | null | undefined;
  if (failed) {
    const messageOk = typeof e?.message === 'string' || (rules.dialect === 'upstream' && e?.message === null);
    const problem =
      fieldProblem('error', error, 'object') ??
      fieldProblem('error.code', e?.code, 'string') ??
      (e?.code === '' ? 'error.code: empty' : undefined) ??
      (messageOk ? undefined : fieldProblem('error.message', e?.message, 'string'));
    if (problem !== undefined)
      out.push(v('failure-error', `a ${String(status)} result must carry error { code, message }; ${problem}`, error));
  }
  if (rules.dialect === 'upstream' && typeof e === 'object' && e !== null && !Array.isArray(e)) {
    const nonStrings = Object.entries(e).filter(([, value]) => typeof value !== 'string' && value !== null);
    if (nonStrings.length > 0) {
      out.push(
        v(
          'error-strings',
          `error.${nonStrings.map(([k]) => k).join(', error.')} ${nonStrings.length > 1 ? 'are' : 'is'} not a string: the engine reads error as a Map<String,String>; a nested value fails Jackson and stops the results channel`,
          Object.fromEntries(nonStrings),
        ),
      );
    }
  }
  return out;
}

/** Anything else the dialect's result schema requires (instants, executionTime…), not already reported. */
function schemaViolations(json: Record<string, unknown>, v: MakeViolation, rules: ResultRules): Violation[] {
  if (rules.dialect === 'spec') {
    const decoded = decodeMessage('TaskResultMessage', json);
    if (
      !decoded.ok &&
      !rules.coveredPaths.has(decoded.failure.path ?? '$') &&
      !String(decoded.failure.path).startsWith('$.error')
    ) {
      return [
        v(
          'result-schema',
          decoded.failure.error.message,
          decoded.failure.path === undefined ? undefined : valueAt(json, decoded.failure.path),
        ),
      ];
    }
    return [];
  }
  const deviations = dialectNamed(rules.dialect)
    .check('results', { key: null, value: JSON.stringify(json) })
    .filter((d) => d.field.startsWith('$') && !rules.coveredPaths.has(d.field) && !d.field.startsWith('$.error'));
  return deviations
    .slice(0, 1)
    .map((d) => v('result-schema', `TaskResultMessage (upstream) ${d.message}`, valueAt(json, d.field)));
}

function consistency(
  results: readonly ParsedResult[],
  v: (rule: ContractRule, message: string, value?: unknown) => Violation,
): Violation[] {
  const first = results[0]!.json;
  const out: Violation[] = [];
  for (const r of results.slice(1)) {
    for (const field of ['status', 'output', 'error'] as const) {
      const a = field === 'error' ? (first?.error as { code?: unknown } | undefined)?.code : first?.[field];
      const b = field === 'error' ? (r.json?.error as { code?: unknown } | undefined)?.code : r.json?.[field];
      if (!isDeepStrictEqual(a, b)) {
        out.push(
          v(
            'redelivery-consistent',
            `the same task answered twice with different ${field === 'error' ? 'error.code' : field}: ${show(a)} then ${show(b)}; make the handler idempotent per taskId`,
            [a, b],
          ),
        );
      }
    }
  }
  return out;
}

function unknownTask(p: ParsedResult): Violation {
  const taskId = p.json?.taskId;
  return {
    case: 'unmatched-results',
    taskId: typeof taskId === 'string' ? taskId : undefined,
    rule: p.json === undefined ? 'result-json' : 'result-unknown-task',
    message:
      p.json === undefined
        ? `${where(p.record)}: ${p.problem}`
        : `${where(p.record)}: ${taskId === undefined ? 'result has no taskId (missing field) and' : `result taskId ${show(taskId)}`} matches no task that was sent`,
    value: p.json ?? p.record.value?.toString('utf8'),
  };
}

function parse(record: ObservedRecord): ParsedResult {
  if (record.value === null) return { record, json: undefined, problem: 'record has no value (a tombstone)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(record.value);
  } catch {
    return { record, json: undefined, problem: 'value is not UTF-8' };
  }
  try {
    const json: unknown = JSON.parse(text);
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      return { record, json: undefined, problem: `value is ${show(json)}, not a JSON object` };
    return { record, json: json as Record<string, unknown>, problem: undefined };
  } catch (e) {
    return { record, json: undefined, problem: `value is not JSON (${(e as Error).message}): ${show(text)}` };
  }
}

const where = (r: ObservedRecord) => `results partition ${r.partition} offset ${r.offset}`;

function valueAt(json: Record<string, unknown>, path: string): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), json);
}

/** Redelivered copies repeat the same violation; keep one of each. */
function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.rule}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

import { isDeepStrictEqual } from 'node:util';
import { distance } from 'fastest-levenshtein';
import { decodeMessage, EXECUTION_STATUSES, TASK_RESULT_MESSAGE_ALIASES, TaskResultMessageSchema } from '../protocol/index.js';
import type { ContractCase } from './cases.js';
import { type ContractRule, show, type Violation } from './rules.js';

// Pure checks: the cases that were sent and the records read off the results topic in, a report out.
// No broker here, so every rule has a unit test.

/** A record as read off the results topic. */
export interface ObservedRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
}

export interface CaseReport {
  readonly name: string;
  readonly kind: ContractCase['kind'];
  readonly taskId: string;
  readonly status: 'passed' | 'failed';
  /** Results seen for this task. */
  readonly results: number;
  readonly violations: readonly Violation[];
}

const ECHOED = ['taskId', 'runId', 'nodeId', 'attempt', 'token'] as const;
const KNOWN_FIELDS = [...Object.keys(TaskResultMessageSchema.shape), ...Object.keys(TASK_RESULT_MESSAGE_ALIASES)];
/** Paths the specific rules already report, so the schema rule does not say the same thing twice. */
const COVERED_PATHS = new Set(['$', ...ECHOED.map((f) => `$.${f}`), '$.executionToken', '$.status', '$.output', '$.error']);

interface ParsedResult {
  readonly record: ObservedRecord;
  readonly json: Record<string, unknown> | undefined;
  readonly problem: string | undefined;
}

/** Check every case against the records seen; `extra` adds violations found elsewhere (in-process output checks). */
export function checkContract(cases: readonly ContractCase[], records: readonly ObservedRecord[], extra: readonly Violation[] = []): CaseReport[] {
  const parsed = records.map(parse);
  const byTaskId = new Map<string, ParsedResult[]>();
  const unmatched: ParsedResult[] = [];
  const taskIds = new Set(cases.map((c) => c.task.taskId));
  for (const p of parsed) {
    const taskId = p.json?.taskId;
    if (typeof taskId === 'string' && taskIds.has(taskId)) byTaskId.set(taskId, [...(byTaskId.get(taskId) ?? []), p]);
    else unmatched.push(p);
  }
  const reports = cases.map((c) => {
    const results = byTaskId.get(c.task.taskId) ?? [];
    const violations = [...checkCase(c, results), ...extra.filter((v) => v.case === c.name)];
    return report(c.name, c.kind, c.task.taskId, results.length, violations);
  });
  if (unmatched.length > 0) {
    const violations = unmatched.map((p) => unknownTask(p));
    reports.push(report('unmatched-results', 'answer', '', unmatched.length, violations));
  }
  return reports;
}

function report(name: string, kind: ContractCase['kind'], taskId: string, results: number, violations: readonly Violation[]): CaseReport {
  return { name, kind, taskId, status: violations.length === 0 ? 'passed' : 'failed', results, violations };
}

function checkCase(c: ContractCase, results: readonly ParsedResult[]): Violation[] {
  const v = (rule: ContractRule, message: string, value?: unknown): Violation => ({ case: c.name, taskId: c.task.taskId, rule, message, value });
  if (c.kind === 'foreign') {
    return results.map((r) =>
      v('foreign-not-answered', `task for executor type "${String(c.task.targetExecutor)}" was answered (status ${show(r.json?.status)}); skip tasks whose targetExecutor is not yours`, r.json ?? r.problem),
    );
  }
  if (results.length === 0) {
    if (c.kind === 'poison') {
      return [v('poison-survived', `task sent after ${c.poison.length} poison records (${c.poison.map((p) => p.name).join(', ')}) on its partition was never answered: the consumer stopped or skipped it; dead-letter records you cannot read and go on`)];
    }
    return [v('answered', `no result with taskId "${c.task.taskId}" arrived on the results topic`)];
  }
  const violations = results.flatMap((r) => checkResult(c, r, v));
  if (c.kind === 'redelivery' && results.length > 1) violations.push(...consistency(results, v));
  return dedupe(violations);
}

function checkResult(c: ContractCase, r: ParsedResult, v: (rule: ContractRule, message: string, value?: unknown) => Violation): Violation[] {
  if (r.json === undefined) return [v('result-json', `${where(r.record)}: ${r.problem}`, r.record.value?.toString('utf8'))];
  const json = r.json;
  const out: Violation[] = [];
  const runId = c.task.runId;
  if (r.record.key !== runId) {
    out.push(v('result-key', `result is keyed ${r.record.key === null ? 'with no key' : show(r.record.key)}; results must be keyed by runId ${show(runId)}`, r.record.key));
  }
  const unknown = Object.keys(json).filter((k) => !KNOWN_FIELDS.includes(k));
  for (const field of ECHOED) {
    const expected = c.task[field];
    const actual = field === 'token' && json.token === undefined ? json.executionToken : json[field];
    if (isDeepStrictEqual(actual, expected)) continue;
    const hint = unknown.find((k) => distance(k, field) <= 2);
    const what = actual === undefined ? `${field} is missing${hint ? ` (found unknown field ${show(hint)}: a misspelling of ${show(field)}?)` : ''}` : `${field} is ${show(actual)}`;
    out.push(v(`echo-${field}`, `${what}; the result must echo the task's ${field} ${show(expected)}`, hint ? { [hint]: json[hint] } : actual));
  }
  const status = json.status;
  if (!(EXECUTION_STATUSES as readonly unknown[]).includes(status)) {
    out.push(v('status-allowed', `status is ${show(status)}; allowed: ${EXECUTION_STATUSES.join(', ')}`, status));
  }
  if (json.output !== undefined && json.output !== null && (typeof json.output !== 'object' || Array.isArray(json.output))) {
    out.push(v('output-json', `output is ${show(json.output)}; it must be a JSON object (or absent)`, json.output));
  }
  if (status === 'FAILURE' || status === 'TIMEOUT') {
    const error = json.error as Record<string, unknown> | null | undefined;
    if (typeof error !== 'object' || error === null || typeof error.code !== 'string' || error.code === '' || typeof error.message !== 'string') {
      out.push(v('failure-error', `a ${status} result must carry error { code, message }; got error ${show(error)}`, error));
    }
  }
  const decoded = decodeMessage('TaskResultMessage', json);
  if (!decoded.ok && !COVERED_PATHS.has(decoded.failure.path ?? '$') && !String(decoded.failure.path).startsWith('$.error')) {
    out.push(v('result-schema', decoded.failure.error.message, decoded.failure.path === undefined ? undefined : valueAt(json, decoded.failure.path)));
  }
  return out;
}

function consistency(results: readonly ParsedResult[], v: (rule: ContractRule, message: string, value?: unknown) => Violation): Violation[] {
  const first = results[0]!.json;
  const out: Violation[] = [];
  for (const r of results.slice(1)) {
    for (const field of ['status', 'output', 'error'] as const) {
      const a = field === 'error' ? (first?.error as { code?: unknown } | undefined)?.code : first?.[field];
      const b = field === 'error' ? (r.json?.error as { code?: unknown } | undefined)?.code : r.json?.[field];
      if (!isDeepStrictEqual(a, b)) {
        out.push(v('redelivery-consistent', `the same task answered twice with different ${field === 'error' ? 'error.code' : field}: ${show(a)} then ${show(b)}; make the handler idempotent per taskId`, [a, b]));
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
    message: p.json === undefined ? `${where(p.record)}: ${p.problem}` : `${where(p.record)}: result taskId ${show(taskId)} matches no task that was sent`,
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
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return { record, json: undefined, problem: `value is ${show(json)}, not a JSON object` };
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

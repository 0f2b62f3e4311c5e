// The executor contract, rule by rule. Every violation names the case (and task), the rule and the
// offending value, so a failing CI run says what to fix without a debugger.

export const CONTRACT_RULES = {
  answered: 'every task of the executor type is answered on the results topic',
  'result-json': 'a result is a UTF-8 JSON object',
  'result-key': 'a result is keyed by its runId',
  'echo-taskId': 'the result echoes the task taskId (spec; upstream results carry none)',
  'echo-runId': 'the result echoes the task runId',
  'echo-nodeId': 'the result echoes the task nodeId',
  'echo-attempt': 'the result echoes the task attempt',
  'echo-token':
    'the result echoes the task token (spec: as "token"; upstream: as "executionToken", or the engine drops it)',
  'status-allowed':
    'the status is one the engine accepts (spec: SUCCESS, FAILURE or TIMEOUT; upstream: COMPLETED, the only success, or FAILED)',
  'output-json': 'the output is a JSON-serialisable object',
  'failure-error': 'a failed result (spec: FAILURE or TIMEOUT; upstream: FAILED) carries error info (code and message)',
  'error-strings': 'upstream: error holds only strings (the engine reads a Map<String,String>)',
  'result-schema': 'the result is a valid TaskResultMessage',
  'foreign-not-answered': 'a task for another executor type is not answered',
  'redelivery-consistent': 'a redelivered task (same taskId and attempt) is answered consistently',
  'poison-survived': 'a poison task does not stop the consumer: the task after it is answered',
  'poison-traced':
    'an unreadable record the executor got past is dead-lettered (or answered), not dropped without a trace (a "should": the spec does not say who dead-letters it; a warning, a failure with --strict)',
  'result-unknown-task': 'every result answers a task that was sent',
  'executor-alive': 'the executor keeps running until it is stopped',
} as const;

export type ContractRule = keyof typeof CONTRACT_RULES;

export interface Violation {
  /** The case it belongs to (`golden/full`, `faker/seed-2`, `author/…`, `executor`). */
  readonly case: string;
  /** The task concerned, when there is one. */
  readonly taskId: string | undefined;
  readonly rule: ContractRule;
  /** What was wrong, with the offending value and what is allowed. */
  readonly message: string;
  /** The offending value as seen on the wire (undefined when it was missing). */
  readonly value?: unknown;
  /** The record concerned, when it is one the contract sent (an unreadable record has no task). */
  readonly record?: { readonly topic: string; readonly partition: number; readonly offset: string };
}

/** `[rule] case (task): message` — one line per violation, as printed and put into JUnit. */
export function formatViolation(v: Violation): string {
  return `[${v.rule}] ${v.case}${v.taskId ? ` (task ${v.taskId})` : ''}: ${v.message}`;
}

/** A value for a message: JSON, cut at 120 characters; an absent value is "missing" (the wire has no undefined). */
export function show(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text =
      typeof value === 'bigint'
        ? `${value}n`
        : typeof value === 'number' && !Number.isFinite(value)
          ? String(value)
          : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** The JSON type of a value as the protocol names types: string, number, boolean, array, object or null. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'bigint' ? 'number' : typeof value;
}

/**
 * What is wrong with a field, in the protocol's words: `error: missing field`, `error: null`,
 * `error.code: wrong type (number 5; must be a string)`; undefined when it has the type it must have.
 */
export function fieldProblem(field: string, value: unknown, type: 'string' | 'number' | 'object'): string | undefined {
  if (value === undefined) return `${field}: missing field`;
  if (value === null) return `${field}: null`;
  if (jsonType(value) !== type)
    return `${field}: wrong type (${jsonType(value)} ${show(value)}; must be ${type === 'object' ? 'an object' : `a ${type}`})`;
  return undefined;
}

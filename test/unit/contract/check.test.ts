import { describe, expect, it } from 'vitest';
import { type ContractCase, contractCases } from '../../../harness/contract/cases.js';
import { checkContract, type ObservedRecord } from '../../../harness/contract/check.js';
import { jsonProblem } from '../../../harness/contract/handler.js';
import { formatViolation } from '../../../harness/contract/rules.js';
import { ContractError } from '../../../harness/errors.js';

const cases = contractCases({ executorType: 'payment-processor', tag: 't1', fakerCount: 1 });
const byName = (name: string) => cases.find((c) => c.name === name)!;
const answer = byName('faker/seed-1');

function resultFor(
  c: ContractCase,
  overrides: Record<string, unknown> = {},
  key: string | null = c.task.runId,
): ObservedRecord {
  const { taskId, runId, nodeId, attempt, token } = c.task;
  const json = {
    taskId,
    runId,
    nodeId,
    attempt,
    token,
    status: 'SUCCESS',
    output: { ok: true },
    executionTime: 0.01,
    completedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
  for (const [k, v] of Object.entries(json)) if (v === undefined) delete (json as Record<string, unknown>)[k];
  return { partition: 0, offset: '0', key, value: Buffer.from(JSON.stringify(json)) };
}

/** Good answers for every case that expects one. */
const good = () => cases.flatMap((c) => (c.kind === 'foreign' ? [] : [resultFor(c)]));
const violationsOf = (records: ObservedRecord[], name: string) =>
  checkContract(cases, records).find((r) => r.name === name)!.violations;

describe('contract cases', () => {
  it('has golden (upstream Java names kept), faker, foreign, poison and redelivery cases with fresh run ids', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'foreign/other-type',
      'poison/before-task',
      'redelivery/same-attempt',
      'golden/full',
      'golden/java-missing-optionals',
      'golden/java-upstream-names',
      'golden/minimal',
      'faker/seed-1',
    ]);
    const upstream = byName('golden/java-upstream-names');
    expect(upstream.wire).toHaveProperty('executionToken', 'tok-7f3a9c1e2b4d');
    expect(upstream.task).toMatchObject({
      runId: 'run-0003-t1',
      taskId: 'run-0003-t1:ship:2',
      token: 'tok-7f3a9c1e2b4d',
      targetExecutor: 'payment-processor',
    });
    expect(byName('foreign/other-type').task.targetExecutor).toBe('not-payment-processor');
  });

  it('rejects an invalid author task, naming the case and the field', () => {
    expect(() =>
      contractCases({
        executorType: 'x',
        tasks: [
          {
            name: 'mine',
            task: { runId: 'r', nodeId: 'n', attempt: 1, token: 'short', createdAt: '2024-01-01T00:00:00Z' },
          },
        ],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONTRACT_CASE_INVALID',
        message: expect.stringMatching(/"author\/mine".*\$\.token/),
      }) as ContractError,
    );
  });
});

describe('checkContract', () => {
  it('passes answers that follow the contract', () => {
    expect(checkContract(cases, good()).every((r) => r.status === 'passed')).toBe(true);
  });

  it('names the task, the rule and the value for a result keyed by taskId with a misspelled token', () => {
    const { token, ...rest } = answer.task;
    const record = resultFor(answer, { token: undefined, tokn: token }, answer.task.taskId);
    const violations = violationsOf(
      [...good().filter((r) => !r.value!.toString().includes(answer.task.taskId)), record],
      'faker/seed-1',
    );
    expect(violations.map((v) => v.rule)).toEqual(['result-key', 'echo-token']);
    expect(formatViolation(violations[0]!)).toBe(
      `[result-key] faker/seed-1 (task ${rest.taskId}): result is keyed by the taskId; results must be keyed by the runId`,
    );
    expect(violations[1]!.message).toContain(
      'token: missing field (found unknown field "tokn": a misspelling of "token"?)',
    );
    expect(violations[1]!.value).toEqual({ tokn: token });
  });

  it.each([
    ['status-allowed', { status: 'DONE' }, 'status is "DONE"; allowed: SUCCESS, FAILURE, TIMEOUT'],
    // In the protocol's words (missing field, null, wrong type), never JavaScript's ("undefined").
    [
      'failure-error',
      { status: 'FAILURE', error: undefined },
      'a FAILURE result must carry error { code, message }; error: missing field',
    ],
    [
      'failure-error',
      { status: 'FAILURE', error: null },
      'a FAILURE result must carry error { code, message }; error: null',
    ],
    ['failure-error', { status: 'FAILURE', error: 'boom' }, 'error: wrong type (string "boom"; must be an object)'],
    ['failure-error', { status: 'FAILURE', error: { message: 'x' } }, 'error.code: missing field'],
    [
      'failure-error',
      { status: 'FAILURE', error: { code: 'E', message: 3 } },
      'error.message: wrong type (number 3; must be a string)',
    ],
    ['status-allowed', { status: undefined }, 'status: missing field; allowed: SUCCESS, FAILURE, TIMEOUT'],
    [
      'echo-attempt',
      { attempt: '1' },
      'attempt: wrong type (string "1"; must be a number); the result must echo the task\'s attempt',
    ],
    ['echo-runId', { runId: null }, "runId: null; the result must echo the task's runId"],
    ['output-json', { output: [1, 2] }, 'output is [1,2]; it must be a JSON object'],
    ['echo-attempt', { attempt: 99 }, 'attempt is 99'],
    ['result-schema', { completedAt: 'yesterday' }, 'completedAt'],
  ])('%s', (rule, overrides, message) => {
    const records = [
      ...good().filter((r) => !r.value!.toString().includes(answer.task.taskId)),
      resultFor(answer, overrides),
    ];
    const violations = violationsOf(records, 'faker/seed-1');
    expect(violations.map((v) => v.rule)).toContain(rule);
    expect(violations.find((v) => v.rule === rule)!.message).toContain(message);
  });

  it('an unanswered task, an unanswered task after poison, an answered foreign task', () => {
    const poison = byName('poison/before-task');
    const foreign = byName('foreign/other-type');
    const records = [
      ...good().filter(
        (r) => !r.value!.toString().includes(answer.task.taskId) && !r.value!.toString().includes(poison.task.taskId),
      ),
      resultFor(foreign),
    ];
    const reports = checkContract(cases, records);
    const rules = (name: string) => reports.find((r) => r.name === name)!.violations.map((v) => v.rule);
    expect(rules('faker/seed-1')).toEqual(['answered']);
    expect(rules('poison/before-task')).toEqual(['poison-survived']);
    expect(rules('foreign/other-type')).toEqual(['foreign-not-answered']);
  });

  it('a redelivered task answered differently', () => {
    const c = byName('redelivery/same-attempt');
    const records = [
      ...good(),
      resultFor(c, { status: 'FAILURE', output: undefined, error: { code: 'DUP', message: 'seen' } }),
    ];
    const violations = violationsOf(records, 'redelivery/same-attempt');
    expect(violations.map((v) => v.rule)).toEqual([
      'redelivery-consistent',
      'redelivery-consistent',
      'redelivery-consistent',
    ]);
    expect(violations[0]!.message).toContain('different status: "SUCCESS" then "FAILURE"');
  });

  it('results that are not JSON or answer no task sent', () => {
    const records = [
      ...good(),
      { partition: 2, offset: '7', key: 'k', value: Buffer.from('nope') },
      resultFor({ ...answer, task: { ...answer.task, taskId: 'other:x:1' } }),
    ];
    const unmatched = violationsOf(records, 'unmatched-results');
    expect(unmatched.map((v) => v.rule)).toEqual(['result-json', 'result-unknown-task']);
    expect(unmatched[0]!.message).toContain('results partition 2 offset 7: value is not JSON');
  });
});

describe("every result message is in the protocol's words", () => {
  // Each field missing, null or of the wrong type, in a result for every kind of failure: no message may say
  // JavaScript's "undefined" (or "got error …"), and each says which of the three it was.
  const fields = ['taskId', 'runId', 'nodeId', 'attempt', 'token', 'status', 'output', 'error'];
  const variants: [string, Record<string, unknown>][] = fields.flatMap((f) => [
    [`${f} missing`, { [f]: undefined }],
    [`${f} null`, { [f]: null }],
    [`${f} wrong type`, { [f]: f === 'attempt' ? 'one' : 42 }],
  ]);
  it.each(variants)('%s', (_name, overrides) => {
    const failing = { status: 'FAILURE', error: { code: 'E', message: 'm' }, ...overrides };
    const messages = [resultFor(answer, overrides), resultFor(answer, failing)].flatMap((r) =>
      checkContract(cases, [r])
        .filter((c) => c.name === answer.name || c.name === 'unmatched-results')
        .flatMap((c) => c.violations.map(formatViolation)),
    );
    for (const m of messages) {
      expect(m).not.toMatch(/\bundefined\b|got error/);
      expect(m).not.toMatch(/\bNaN\b|\[object Object\]/);
    }
    const [field] = Object.keys(overrides) as [string];
    const value = overrides[field];
    const about = messages.filter((m) => m.includes(field));
    if (field === 'output' && (value === undefined || value === null)) {
      expect(messages).toEqual([]); // output is optional
      return;
    }
    expect(about.length, messages.join('\n')).toBeGreaterThan(0);
    if (value === undefined && field !== 'output' && field !== 'error')
      expect(about.join('\n')).toContain(`${field}: missing field`);
    if (value === null && field !== 'output' && field !== 'taskId')
      expect(about.join('\n')).toMatch(new RegExp(`${field}(\\.code)?: null|${field} is null`));
  });
});

describe('jsonProblem (in-process output check)', () => {
  it.each([
    [{ ok: true, n: [1, 'a', null, { x: 1 }] }, undefined],
    [{ big: 1n }, 'cannot be serialised to JSON'],
    [{ at: new Date(0) }, 'at $.at: a Date instance is not plain JSON'],
    [{ n: Number.NaN }, 'at $.n: NaN becomes null'],
    [
      { f: () => 1 },
      'at $.f: a function is not a JSON value, so the result will have no "f": give it a string, number, boolean, object, array or null',
    ],
    [{ s: Symbol('x') }, 'at $.s: a symbol is not a JSON value, so the result will have no "s"'],
    [
      { u: undefined },
      'at $.u: the field is set to undefined, and JSON has no such value: the result will have no "u"; leave the field out, or give it null',
    ],
    [{ nested: { deeper: undefined } }, 'at $.nested.deeper: the field is set to undefined'],
    [[1], 'output is [1]; it must be a JSON object'],
  ])('%o', (output, message) => {
    const problem = jsonProblem(output);
    if (message === undefined) expect(problem).toBeUndefined();
    else expect(problem?.message).toContain(message);
  });
});

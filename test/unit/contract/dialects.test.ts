import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ContractCase, contractCases } from '../../../harness/contract/cases.js';
import { answeredTaskId, checkContract, type ObservedRecord } from '../../../harness/contract/check.js';
import { renderContractSummary, writeContractJUnit } from '../../../harness/contract/report.js';
import type { ContractReport } from '../../../harness/contract/run.js';
import { executorEnvironment } from '../../../harness/contract/process.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';

// The contract per dialect: what the tasks look like, how results are judged, and compatibility cases in spec.

const spec = contractCases({ executorType: 'payment-processor', tag: 't1', fakerCount: 1 });
const upstream = contractCases({ executorType: 'payment-processor', tag: 't1', fakerCount: 1, dialect: 'upstream' });
const byName = (cases: ContractCase[], name: string) => cases.find((c) => c.name === name)!;

/** An answer as the Java engine reads it: COMPLETED, executionToken, no taskId, keyed by runId. */
function upstreamAnswer(
  c: ContractCase,
  overrides: Record<string, unknown> = {},
  key: string | null = c.task.runId,
): ObservedRecord {
  const { runId, nodeId, attempt, token } = c.task;
  const json: Record<string, unknown> = {
    runId,
    nodeId,
    attempt,
    status: 'COMPLETED',
    output: { ok: true },
    error: null,
    executionToken: token,
    completedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
  for (const [k, v] of Object.entries(json)) if (v === undefined) delete json[k];
  return { partition: 0, offset: '0', key, value: Buffer.from(JSON.stringify(json)) };
}

/** An answer from the README. */
function specAnswer(c: ContractCase, overrides: Record<string, unknown> = {}): ObservedRecord {
  const { taskId, runId, nodeId, attempt, token } = c.task;
  const json: Record<string, unknown> = {
    taskId,
    runId,
    nodeId,
    attempt,
    token,
    status: 'SUCCESS',
    output: { ok: true },
    completedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
  for (const [k, v] of Object.entries(json)) if (v === undefined) delete json[k];
  return { partition: 0, offset: '0', key: runId, value: Buffer.from(JSON.stringify(json)) };
}

const answers = (cases: ContractCase[], answer: (c: ContractCase) => ObservedRecord) =>
  cases.flatMap((c) => (c.kind === 'foreign' ? [] : [answer(c)]));

describe('contract cases per dialect', () => {
  it('spec: the golden task with the upstream Java names is a compatibility probe, the others are not', () => {
    expect(spec.filter((c) => c.compat).map((c) => c.name)).toEqual(['golden/java-upstream-names']);
    expect(byName(spec, 'golden/java-upstream-names').compat).toMatchObject({
      dialect: 'upstream',
      note: expect.stringMatching(/executionToken, scheduledAt/),
    });
  });

  it('upstream: every task is written as KafkaTaskProducer writes it (taskId, executionToken, scheduledAt), no compatibility probes', () => {
    expect(upstream.map((c) => c.name)).toEqual(spec.map((c) => c.name));
    expect(upstream.some((c) => c.compat)).toBe(false);
    for (const c of upstream) {
      expect(c.wire).toHaveProperty('executionToken', c.task.token);
      expect(c.wire).toHaveProperty('taskId', c.task.taskId);
      expect(c.wire).toHaveProperty('scheduledAt');
      expect(c.wire).not.toHaveProperty('token');
      expect(c.wire).not.toHaveProperty('createdAt');
    }
  });

  it('a result answers runId:nodeId:attempt when it carries no taskId', () => {
    expect(answeredTaskId({ runId: 'r', nodeId: 'n', attempt: 2 })).toBe('r:n:2');
    expect(answeredTaskId({ taskId: 'r:n:1', runId: 'r', nodeId: 'n', attempt: 2 })).toBe('r:n:1');
    expect(answeredTaskId({ runId: 'r' })).toBeUndefined();
  });
});

describe('checkContract in upstream', () => {
  const check = (records: ObservedRecord[]) => checkContract(upstream, records, [], { dialect: 'upstream' });
  const answer = byName(upstream, 'faker/seed-1');
  const others = answers(upstream, upstreamAnswer).filter(
    (r) => !r.value!.toString().includes(`"runId":"${answer.task.runId}"`),
  );
  const violationsOf = (record: ObservedRecord) =>
    check([...others, record]).find((r) => r.name === 'faker/seed-1')!.violations;

  it('passes answers the Java engine accepts (COMPLETED, executionToken, keyed by runId, no taskId)', () => {
    const reports = check(answers(upstream, upstreamAnswer));
    expect(reports.filter((r) => r.status === 'failed').map((r) => [r.name, r.violations])).toEqual([]);
  });

  it.each([
    [
      'status-allowed',
      { status: 'SUCCESS' },
      'status is "SUCCESS": the engine parses it but counts only COMPLETED as success',
    ],
    [
      'status-allowed',
      { status: 'DONE' },
      'NodeExecutionStatus.valueOf throws on it and the result is dropped; allowed: COMPLETED (success) or FAILED',
    ],
    [
      'echo-token',
      { executionToken: undefined, token: 'x' },
      'executionToken: missing field (found "token", the README\'s name: the Gamelan Java engine reads "executionToken" and drops a result without it)',
    ],
    ['failure-error', { status: 'FAILED', error: null }, 'a FAILED result must carry error { code, message }'],
    [
      'error-strings',
      { status: 'FAILED', error: { code: 'E', message: 'm', context: { a: 1 } } },
      'error.context is not a string: the engine reads error as a Map<String,String>',
    ],
    ['result-key', {}, 'results must be keyed by the runId'],
    ['result-schema', { completedAt: 'yesterday' }, 'completedAt'],
  ])('%s: %j', (rule, overrides, message) => {
    const record = upstreamAnswer(answer, overrides, rule === 'result-key' ? answer.task.taskId : answer.task.runId);
    const violations = violationsOf(record);
    expect(violations.map((v) => v.rule)).toContain(rule);
    expect(violations.find((v) => v.rule === rule)!.message).toContain(message);
  });

  it('a FAILED result with error.message null is what Java writes for an exception without a message', () => {
    expect(violationsOf(upstreamAnswer(answer, { status: 'FAILED', error: { code: 'E', message: null } }))).toEqual([]);
  });
});

describe('checkContract in spec against an executor written like the upstream code', () => {
  it('fails naming status, the token field and taskId (results matched by runId:nodeId:attempt)', () => {
    const reports = checkContract(
      spec,
      answers(spec, (c) => upstreamAnswer(c)),
    );
    expect(reports.find((r) => r.name === 'unmatched-results')).toBeUndefined();
    const violations = reports.find((r) => r.name === 'golden/full')!.violations;
    expect(violations.map((v) => v.rule).sort()).toEqual(['echo-taskId', 'echo-token', 'status-allowed']);
    expect(violations.find((v) => v.rule === 'status-allowed')!.message).toBe(
      'status is "COMPLETED"; allowed: SUCCESS, FAILURE, TIMEOUT',
    );
    expect(violations.find((v) => v.rule === 'echo-token')!.message).toMatch(
      /^token: missing field \(found "executionToken", the upstream Java name: the README's results carry "token"/,
    );
  });
});

describe('compatibility cases in spec', () => {
  const compat = byName(spec, 'golden/java-upstream-names');
  const withoutCompat = answers(spec, specAnswer).filter(
    (r) => !r.value!.toString().includes(`"runId":"${compat.task.runId}"`),
  );

  it('an executor that does not read the upstream names gets a note, not a failure', () => {
    const reports = checkContract(spec, withoutCompat);
    const report = reports.find((r) => r.name === compat.name)!;
    expect(report.status).toBe('passed');
    expect(report.violations).toEqual([]);
    expect(report.compat?.findings.map((v) => v.rule)).toEqual(['answered']);
    expect(reports.every((r) => r.status === 'passed')).toBe(true);
  });

  it('--strict-compat makes the finding a failure', () => {
    const report = checkContract(spec, withoutCompat, [], { strictCompat: true }).find((r) => r.name === compat.name)!;
    expect(report.status).toBe('failed');
    expect(report.violations.map((v) => v.rule)).toEqual(['answered']);
  });

  it('the summary lists the note apart, and JUnit marks the case skipped with the finding', () => {
    const cases = checkContract(spec, withoutCompat);
    const report: ContractReport = {
      executorType: 'payment-processor',
      dialect: 'spec',
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 1,
      bootstrapServers: ['127.0.0.1:9092'],
      topics: { tasks: 't', results: 'r', events: 'e', status: 's', dlq: 'd' },
      groupId: 'g',
      passed: cases.length,
      failed: 0,
      cases,
      violations: [],
      deadLettered: 0,
      compatNotes: cases.flatMap((c) =>
        c.compat ? [{ case: c.name, dialect: c.compat.dialect, note: c.compat.note, findings: c.compat.findings }] : [],
      ),
      strictCompat: false,
      poisonRecords: [],
      warnings: [],
      strict: false,
    };
    const summary = renderContractSummary(report);
    expect(summary).toContain('1 compatibility note(s) (not contract violations; --strict-compat makes them fail)');
    expect(summary).toMatch(/golden\/java-upstream-names: written with the upstream Java names/);
    expect(summary).toMatch(/8 passed, 0 failed, 1 compatibility note\(s\)/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gamelan-junit-')), 'c.xml');
    writeContractJUnit(report, file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(
      /<testcase[^>]*name="golden\/java-upstream-names"[^>]*>\s*<properties>\s*<property name="compat"[^/]*\/>\s*<\/properties>\s*<skipped\/>/,
    );
    expect(xml).toContain('<property name="dialect" value="spec"/>');
    expect(xml).not.toContain('<failure');
  });
});

describe('the environment of an external executor', () => {
  const connection = {
    kafka: undefined as never,
    bootstrapServers: ['127.0.0.1:9092'],
    config: {
      ...DEFAULT_CONFIG,
      tasks: { topic: 'p.workflow-tasks' },
      results: { topic: 'p.workflow-results' },
      events: { topic: 'p.workflow-events' },
      status: { topic: 'p.workflow-status' },
      dlq: { ...DEFAULT_CONFIG.dlq, topic: 'p.workflow-dlq' },
    },
    topics: {
      tasks: 'p.workflow-tasks',
      results: 'p.workflow-results',
      events: 'p.workflow-events',
      status: 'p.workflow-status',
      dlq: 'p.workflow-dlq',
    },
    groupId: 'p.payment-processor-executors',
    executorType: 'payment-processor',
  };

  it.each(['upstream', 'spec'] as const)(
    '%s: the MicroProfile names of the Java channels besides the GAMELAN_* ones',
    (dialect) => {
      const env = executorEnvironment({ ...connection, dialect });
      expect(env).toMatchObject({
        KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
        MP_MESSAGING_INCOMING_WORKFLOW_TASKS_TOPIC: 'p.workflow-tasks',
        MP_MESSAGING_INCOMING_WORKFLOW_TASKS_GROUP_ID: 'p.payment-processor-executors',
        MP_MESSAGING_OUTGOING_WORKFLOW_RESULTS_TOPIC: 'p.workflow-results',
        MP_MESSAGING_OUTGOING_WORKFLOW_EVENTS_TOPIC: 'p.workflow-events',
        MP_MESSAGING_OUTGOING_WORKFLOW_STATUS_TOPIC: 'p.workflow-status',
        MP_MESSAGING_OUTGOING_WORKFLOW_DLQ_TOPIC: 'p.workflow-dlq',
        GAMELAN_TASKS_TOPIC: 'p.workflow-tasks',
        GAMELAN_GROUP_ID: 'p.payment-processor-executors',
      });
    },
  );
});

import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { groupViolations, renderContractSummary } from '../../../harness/contract/report.js';
import type { Violation } from '../../../harness/contract/rules.js';
import type { ContractReport } from '../../../harness/contract/run.js';

// Issue #21: the summary printed each violation once per case (×10) before a by-rule tally. Now each rule is a
// heading and each distinct violation is printed once, with the cases it broke.
const violation = (
  rule: Violation['rule'],
  c: string,
  message: string,
  taskId: string | undefined = `${c}:task`,
): Violation => ({ case: c, taskId, rule, message });

const violations = [
  violation('status-allowed', 'golden/full', 'status is "COMPLETED"; allowed: SUCCESS, FAILURE, TIMEOUT'),
  violation('echo-token', 'golden/full', 'token: missing field; the result must echo the task\'s token as "token"'),
  violation('status-allowed', 'faker/seed-1', 'status is "COMPLETED"; allowed: SUCCESS, FAILURE, TIMEOUT'),
  violation('echo-token', 'faker/seed-1', 'token: missing field; the result must echo the task\'s token as "token"'),
  violation('status-allowed', 'faker/seed-2', 'status: missing field; allowed: SUCCESS, FAILURE, TIMEOUT'),
];

describe('contract violations in the summary', () => {
  it('are grouped by rule, in the order rules were first broken, each message once with its cases', () => {
    expect(groupViolations(violations)).toEqual([
      {
        rule: 'status-allowed',
        violations: [
          {
            message: 'status is "COMPLETED"; allowed: SUCCESS, FAILURE, TIMEOUT',
            cases: ['golden/full (task golden/full:task)', 'faker/seed-1 (task faker/seed-1:task)'],
          },
          {
            message: 'status: missing field; allowed: SUCCESS, FAILURE, TIMEOUT',
            cases: ['faker/seed-2 (task faker/seed-2:task)'],
          },
        ],
      },
      {
        rule: 'echo-token',
        violations: [
          {
            message: 'token: missing field; the result must echo the task\'s token as "token"',
            cases: ['golden/full (task golden/full:task)', 'faker/seed-1 (task faker/seed-1:task)'],
          },
        ],
      },
    ]);
  });

  it('print each violation once, under its rule, with the cases it broke', () => {
    const report: ContractReport = {
      executorType: 'payment-processor',
      dialect: 'spec',
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 1,
      bootstrapServers: ['127.0.0.1:9092'],
      topics: { tasks: 't', results: 'r', events: 'e', status: 's', dlq: 'd' },
      groupId: 'g',
      passed: 0,
      failed: 3,
      cases: [],
      violations,
      deadLettered: 0,
      compatNotes: [],
      strictCompat: false,
      poisonRecords: [],
      warnings: [],
      strict: false,
    };
    const text = stripVTControlCharacters(renderContractSummary(report));
    expect(text).toContain('3 contract violation(s) under 2 rule(s), 5 in all:');
    expect(text.split('status is "COMPLETED"; allowed')).toHaveLength(2); // printed once
    expect(text).toMatch(
      / {2}status-allowed: the status is one the engine accepts.*\n {4}status is "COMPLETED"; allowed: SUCCESS, FAILURE, TIMEOUT\n {6}2 cases: golden\/full \(task golden\/full:task\), faker\/seed-1 \(task faker\/seed-1:task\)\n {4}status: missing field/,
    );
    expect(text).toMatch(/ {2}echo-token: .*\n {4}token: missing field; .*\n {6}2 cases: golden\/full/);
    expect(text).not.toMatch(/undefined/);
  });
});

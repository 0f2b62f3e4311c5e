import { describe, expect, it } from 'vitest';
import type { ContractReport } from '../../../harness/contract/run.js';
import type { Violation } from '../../../harness/contract/rules.js';
import { caseFindings } from '../../../harness/vitest/contract.js';

// describeExecutorContract: a case fails on its violations; a "should" it did not meet (an unreadable record
// dropped without a trace, without `strict`) passes it with a warning annotation.
const dropped: Violation = {
  case: 'poison/before-task',
  taskId: undefined,
  rule: 'poison-traced',
  message: 'dropped without a trace: unreadable record "not-json" (t partition 0 offset 4): the executor got past it',
  record: { topic: 't', partition: 0, offset: '4' },
};
const keyed: Violation = {
  case: 'golden/full',
  taskId: 'run-1:n:1',
  rule: 'result-key',
  message: 'result is keyed by the taskId; results must be keyed by the runId',
};
const report = {
  cases: [
    { name: 'golden/full', violations: [keyed] },
    { name: 'poison/before-task', violations: [] },
  ],
  warnings: [dropped],
} as unknown as ContractReport;

describe('caseFindings', () => {
  it('a case with violations: each as a line, no warnings', () => {
    expect(caseFindings(report, 'golden/full')).toEqual({
      violations: [
        '[result-key] golden/full (task run-1:n:1): result is keyed by the taskId; results must be keyed by the runId',
      ],
      warnings: [],
    });
  });

  it('a case with a warning: no violation (it passes), the warning as a line naming the record', () => {
    expect(caseFindings(report, 'poison/before-task')).toEqual({
      violations: [],
      warnings: [
        '[poison-traced] poison/before-task: dropped without a trace: unreadable record "not-json" (t partition 0 offset 4): the executor got past it',
      ],
    });
  });

  it('a case the report does not have, or no report: nothing', () => {
    expect(caseFindings(report, 'executor')).toEqual({ violations: [], warnings: [] });
    expect(caseFindings(undefined, 'golden/full')).toEqual({ violations: [], warnings: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { eventually, matchesPartial, ownershipProblem } from '../../../harness/matchers/index.js';

describe('matchesPartial', () => {
  it.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }, true],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: 'run-17' }, { a: /^run-\d+$/ }, true],
    [{ a: [1, 2] }, { a: [1, 2] }, true],
    [{ a: [1, 2] }, { a: [1] }, false],
    [null, { a: 1 }, false],
  ])('%j ⊇ %j is %s', (actual, expected, result) => {
    expect(matchesPartial(actual, expected)).toBe(result);
  });
});

describe('ownershipProblem', () => {
  const snapshot = (state: string, assignments: number[][]) => ({
    at: 0,
    groupId: 'g',
    state,
    members: assignments.map((p, i) => ({ memberId: `m${i}`, clientId: `c${i}`, assignment: { t: p } })),
  });
  it('accepts each partition owned once by N members', () => {
    expect(ownershipProblem(snapshot('Stable', [[0], [1, 2]]), 2, 't', 3)).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(ownershipProblem(snapshot('PreparingRebalance', [[0, 1, 2]]), 1, 't', 3)).toContain('PreparingRebalance');
    expect(ownershipProblem(snapshot('Stable', [[0, 1, 2]]), 2, 't', 3)).toBe('1 members');
    expect(
      ownershipProblem(
        snapshot('Stable', [
          [0, 1],
          [1, 2],
        ]),
        2,
        't',
        3,
      ),
    ).toContain('instead of each of [0,1,2] once');
  });
});

describe('eventually', () => {
  it('re-checks until the condition holds', async () => {
    let calls = 0;
    const result = await eventually(() => ({ pass: ++calls >= 3, message: () => 'm' }), {
      timeoutMs: 2_000,
      intervalMs: 5,
    });
    expect(result.pass).toBe(true);
    expect(calls).toBe(3);
  });
  it('stops at a final result without waiting for its timeout', async () => {
    let calls = 0;
    const started = Date.now();
    const result = await eventually(() => ({ pass: false, final: ++calls >= 2, message: () => 'never' }), {
      timeoutMs: 30_000,
      intervalMs: 5,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect([result.pass, calls]).toEqual([false, 2]);
  });
  it('gives the last failing result on timeout', async () => {
    const result = await eventually(() => ({ pass: false, message: () => 'still not' }), {
      timeoutMs: 30,
      intervalMs: 5,
    });
    expect(result.pass).toBe(false);
    expect(result.message()).toBe('still not');
  });
});

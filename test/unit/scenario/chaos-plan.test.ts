import { describe, expect, it } from 'vitest';
import { crashStormPlan as planOf } from '../../support/chaos-plan.js';

// chaos-crash-storm's fault schedule, read from the seed without a broker (test/support/chaos-plan.ts).
describe('chaos-crash-storm plans its faults from the seed', () => {
  it('seed 7 plans the same kills at the same delays every time; seed 8 plans others', async () => {
    const seven = await planOf(7);
    expect(seven).toHaveLength(3);
    expect(await planOf(7)).toEqual(seven);
    expect((await planOf(8)).map((p) => p.delayMs)).not.toEqual(seven.map((p) => p.delayMs));
    for (const p of seven) expect(p.delayMs).toBeGreaterThanOrEqual(250);
    expect(seven.map((p) => p.delayMs)).toMatchInlineSnapshot(`
      [
        286,
        514,
        330,
      ]
    `);
  });
});

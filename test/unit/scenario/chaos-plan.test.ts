import { describe, expect, it } from 'vitest';
import crashStorm from '../../../scenarios/chaos-crash-storm.js';
import type { ScenarioContext } from '../../../harness/scenario/context.js';
import { FaultLog, type PlannedFault } from '../../../harness/scenario/fault-schedule.js';
import { SeededRandom } from '../../../harness/scenario/seed.js';

// chaos-crash-storm draws its whole fault schedule from the seed before it touches Kafka: its plan can be read
// without a broker, by a context that stops the scenario at its first step.
class Planned extends Error {}

async function planOf(seed: number): Promise<readonly PlannedFault[]> {
  const log = new FaultLog();
  const ctx = {
    recorder: {},
    random: new SeededRandom(seed, crashStorm.name),
    planFault: (f: PlannedFault) => log.plan(f),
    step: () => {
      throw new Planned();
    },
  } as unknown as ScenarioContext;
  await expect(crashStorm.run(ctx)).rejects.toBeInstanceOf(Planned);
  return log.snapshot().planned;
}

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

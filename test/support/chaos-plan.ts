import crashStorm from '../../scenarios/chaos-crash-storm.js';
import type { ScenarioContext } from '../../harness/scenario/context.js';
import { FaultLog, type PlannedFault } from '../../harness/scenario/fault-schedule.js';
import { SeededRandom } from '../../harness/scenario/seed.js';

// chaos-crash-storm draws its whole fault schedule from the seed before it touches Kafka: its plan can be read
// without a broker, by a context that stops the scenario at its first step.
class Planned extends Error {}

/** The fault schedule chaos-crash-storm plans from `seed`, read without a broker. */
export async function crashStormPlan(seed: number): Promise<readonly PlannedFault[]> {
  const log = new FaultLog();
  const ctx = {
    recorder: {},
    random: new SeededRandom(seed, crashStorm.name),
    planFault: (f: PlannedFault) => log.plan(f),
    step: () => {
      throw new Planned();
    },
  } as unknown as ScenarioContext;
  try {
    await crashStorm.run(ctx);
  } catch (error) {
    if (error instanceof Planned) return log.snapshot().planned;
    throw error;
  }
  throw new Error('chaos-crash-storm ran past its first step without a broker');
}

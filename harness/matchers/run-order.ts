import { dialectNamed } from '../protocol/dialects/read.js';
import type { RecordedFlow } from './flow.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

/**
 * Per-run order was preserved: on each topic keyed by run, all of the run's records sit on one
 * partition, and their offsets increase in the order they were published (record timestamps). A topic the
 * flow's dialect writes without a key (upstream events: the Java client's sticky partitioner) promises no
 * per-run order, so it is not checked; the message says so.
 */
export function preservedRunOrder(
  recorder: RecordedFlow,
  runId: string,
  options: WaitOptions = {},
): Promise<MatchResult> {
  const dialect = dialectNamed(recorder.dialect ?? 'spec');
  const roles = (['tasks', 'results', 'events'] as const).filter((role) => dialect.messages[role].key.kind !== 'none');
  const unkeyed = (['tasks', 'results', 'events'] as const).filter((role) => !roles.includes(role));
  const note =
    unkeyed.length === 0
      ? ''
      : ` (${unkeyed.join(', ')} not checked: the ${dialect.name} dialect writes them without a key, so no per-run order is promised)`;
  return eventually(() => {
    const problems: string[] = [];
    for (const role of roles) {
      const records = recorder.byRun(runId).filter((m) => m.role === role);
      const partitions = [...new Set(records.map((m) => m.partition))];
      if (partitions.length > 1) problems.push(`${role} on partitions ${show(partitions)}`);
      const offsets = records.map((m) => BigInt(m.offset));
      const sorted = [...records].sort(
        (a, b) => a.timestamp - b.timestamp || Number(BigInt(a.offset) - BigInt(b.offset)),
      );
      if (sorted.some((m, i) => i > 0 && BigInt(m.offset) < BigInt(sorted[i - 1]!.offset)))
        problems.push(`${role} offsets out of publish order ${show(offsets.map(String))}`);
    }
    return problems.length === 0
      ? pass(`expected run ${runId}'s order not to be preserved, but every topic kept it on one partition${note}`)
      : fail(
          `expected run ${runId}'s records to stay ordered on one partition per topic: ${problems.join('; ')}${note}`,
          problems,
          [],
        );
  }, options);
}

import type { LagSample } from '../../recorder/types.js';

/** A lag-over-time chart: x in seconds since the scenario's first moment, one series per partition and the total. */
export interface LagChartModel {
  readonly groupId: string;
  readonly topic: string;
  readonly x: readonly number[];
  readonly series: readonly { readonly label: string; readonly values: readonly number[] }[];
  readonly peak: number;
}

/** One chart per watched group (the recorder samples the tasks topic's committed versus end offsets). */
export function buildLagCharts(samples: readonly LagSample[], t0: number): LagChartModel[] {
  const byGroup = new Map<string, LagSample[]>();
  for (const s of [...samples].sort((a, b) => a.at - b.at))
    byGroup.set(`${s.groupId}\u0000${s.topic}`, [...(byGroup.get(`${s.groupId}\u0000${s.topic}`) ?? []), s]);
  return [...byGroup.values()].map((list) => {
    const partitions = [...new Set(list.flatMap((s) => s.partitions.map((p) => p.partition)))].sort((a, b) => a - b);
    const x = list.map((s) => Math.max(0, (s.at - t0) / 1000));
    const series = partitions.map((partition) => ({
      label: `p${partition}`,
      values: list.map((s) => s.partitions.find((p) => p.partition === partition)?.lag ?? 0),
    }));
    const total = list.map((s) => s.partitions.reduce((sum, p) => sum + p.lag, 0));
    return {
      groupId: list[0]!.groupId,
      topic: list[0]!.topic,
      x,
      series: [{ label: 'total', values: total }, ...series],
      peak: Math.max(0, ...total),
    };
  });
}

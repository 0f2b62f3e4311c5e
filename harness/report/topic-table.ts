import Table from 'cli-table3';
import type { TopicDescription } from '../topics/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function retention(ms: number | undefined): string {
  if (ms === undefined) return 'broker default';
  if (ms < 0) return 'forever';
  const days = ms / DAY_MS;
  return Number.isInteger(days) ? `${ms} (${days} d)` : String(ms);
}

/** The topic table `up` and `topics` print: partitions, leaders, replicas, ISR, retention. */
export function renderTopicTable(topics: readonly TopicDescription[]): string {
  const table = new Table({
    head: ['topic', 'partitions', 'leaders', 'replicas', 'in-sync', 'retention.ms'],
    style: { head: [], border: [] },
  });
  for (const t of topics) {
    table.push([
      t.name,
      t.partitions.length,
      t.partitions.map((p) => `${p.partition}→${p.leader}`).join(' '),
      t.partitions.map((p) => p.replicas.join('/')).join(' '),
      t.partitions.map((p) => p.isr.join('/')).join(' '),
      retention(t.retentionMs),
    ]);
  }
  return table.toString();
}

import { stdoutColors as pc } from '../colors.js';
import type { ConformanceReport } from './report.js';

/** The report for people: per topic, the dialects found and each deviation with an example record. */
export function renderConformance(report: ConformanceReport): string {
  const lines: string[] = [];
  lines.push(`Conformance to the ${pc.bold(report.dialect)} dialect on ${report.bootstrapServers.join(',')}${report.since ? ` since ${report.since}` : ' (from the beginning)'}`);
  for (const t of report.topics) {
    lines.push('');
    if (!t.exists) {
      lines.push(`${pc.bold(t.topic)} (${t.role}): ${pc.dim('topic does not exist: nothing to read')}`);
      continue;
    }
    const ok = t.conforming === t.records;
    const status = ok ? pc.green(t.records === 0 ? 'empty' : 'conforms') : pc.red(`${t.records - t.conforming} of ${t.records} do not conform`);
    lines.push(`${pc.bold(t.topic)} (${t.role}): ${t.records} record(s), spec ${t.dialects.spec}, upstream ${t.dialects.upstream}, neither ${t.dialects.neither} — ${status}`);
    for (const d of t.deviations) {
      lines.push(`  ${pc.yellow(d.rule)} ${d.field}: ${d.count} record(s) — ${d.message}`);
      lines.push(pc.dim(`    e.g. partition ${d.example.partition} offset ${d.example.offset} key ${d.example.key ?? '(none)'}: ${d.example.value ?? 'null'}`));
    }
  }
  lines.push('');
  lines.push(
    report.conforms
      ? pc.green(`All ${report.records} record(s) conform to the ${report.dialect} dialect.`)
      : pc.red(`${report.nonConforming} of ${report.records} record(s) do not conform to the ${report.dialect} dialect.`),
  );
  return `${lines.join('\n')}\n`;
}

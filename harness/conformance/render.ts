import { stdoutColors as pc } from '../colors.js';
import type { ConformanceReport } from './report.js';

/** The report for people: per topic, the dialects found and each deviation with an example record. */
export function renderConformance(report: ConformanceReport): string {
  const lines: string[] = [];
  lines.push(
    `Conformance to the ${pc.bold(report.dialect)} dialect on ${report.bootstrapServers.join(',')}${report.since ? ` since ${report.since}` : ' (from the beginning)'}`,
  );
  for (const t of report.topics) {
    lines.push('');
    if (!t.exists) {
      lines.push(`${pc.bold(t.topic)} (${t.role}): ${pc.dim('topic does not exist: nothing to read')}`);
      continue;
    }
    const ok = t.conforming === t.records;
    const status = ok
      ? pc.green(t.records === 0 ? 'empty' : 'conforms')
      : pc.red(`${t.records - t.conforming} of ${t.records} do not conform`);
    lines.push(
      `${pc.bold(t.topic)} (${t.role}): ${t.records} record(s), spec ${t.dialects.spec}, upstream ${t.dialects.upstream}, neither ${t.dialects.neither} — ${status}`,
    );
    for (const d of t.deviations) {
      lines.push(`  ${pc.yellow(d.rule)} ${d.field}: ${d.count} record(s) — ${d.message}`);
      lines.push(
        pc.dim(
          `    e.g. partition ${d.example.partition} offset ${d.example.offset} key ${d.example.key ?? '(none)'}: ${d.example.value ?? 'null'}`,
        ),
      );
    }
  }
  lines.push('');
  lines.push(...verdictLines(report));
  return `${lines.join('\n')}\n`;
}

function verdictLines(report: ConformanceReport): string[] {
  switch (report.verdict) {
    case 'conforms':
      return [pc.green(`All ${report.records} record(s) conform to the ${report.dialect} dialect.`)];
    case 'does-not-conform':
      return [
        pc.red(
          `${report.nonConforming} of ${report.records} record(s) do not conform to the ${report.dialect} dialect.`,
        ),
      ];
    case 'empty-allowed':
      return [
        pc.yellow(`No record read: nothing checked against the ${report.dialect} dialect (allowed by --allow-empty).`),
      ];
    case 'nothing-checked':
      return [
        pc.red(`Nothing checked: no record was read from the ${report.dialect} dialect's topics.`),
        ...elsewhereLines(report),
      ];
  }
}

/** Where the records may be instead: the other dialect's topics with their counts, and the command that checks them. */
function elsewhereLines(report: ConformanceReport): string[] {
  const elsewhere = report.elsewhere;
  const lines: string[] = [];
  const filled = elsewhere?.topics.filter((t) => t.records > 0) ?? [];
  if (elsewhere && elsewhere.topics.length > 0) {
    lines.push(`Topics under the ${pc.bold(elsewhere.dialect)} dialect's names exist on this cluster:`);
    for (const t of elsewhere.topics) lines.push(`  ${t.topic} (${t.role}): ${t.records} record(s)`);
  } else if (elsewhere) {
    lines.push(`No topic under the ${elsewhere.dialect} dialect's names exists on this cluster either.`);
  }
  if (elsewhere && filled.length > 0) lines.push(`To check them: ${pc.bold(elsewhere.command)}`);
  lines.push(
    pc.dim(
      'If the cluster is meant to be empty, pass --allow-empty; if the topics have other names, name them in --config.',
    ),
  );
  return lines;
}

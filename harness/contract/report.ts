import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import junit, { type Builder } from 'junit-report-builder';
import { stdoutColors as pc } from '../colors.js';
import type { ContractReport } from './run.js';
import { CONTRACT_RULES, type ContractRule, formatViolation, type Violation } from './rules.js';
import { redactSecrets } from '../config/secrets.js';
import { poisonWhere } from './poison.js';

const builder = junit as unknown as Builder;

/** One violation as it reads, and every case (with its task) where it happened. */
export interface GroupedViolation {
  readonly message: string;
  readonly cases: readonly string[];
}

/** Violations by rule (in the order rules were first broken), each distinct message once with the cases it broke. */
export function groupViolations(
  violations: readonly Violation[],
): { readonly rule: ContractRule; readonly violations: readonly GroupedViolation[] }[] {
  const byRule = new Map<ContractRule, Map<string, string[]>>();
  for (const v of violations) {
    const messages = byRule.get(v.rule) ?? new Map<string, string[]>();
    byRule.set(v.rule, messages);
    const cases = messages.get(v.message) ?? [];
    messages.set(v.message, cases);
    const where = `${v.case}${v.taskId ? ` (task ${v.taskId})` : ''}`;
    if (!cases.includes(where)) cases.push(where);
  }
  return [...byRule].map(([rule, messages]) => ({
    rule,
    violations: [...messages].map(([message, cases]) => ({ message, cases })),
  }));
}

/** The human summary: one line per case, then the violations by rule, each once with the cases it broke. */
export function renderContractSummary(report: ContractReport): string {
  const dialect = report.dialect ?? 'spec';
  const lines = [
    `Executor contract for type "${report.executorType}" (${(report.durationMs / 1000).toFixed(1)} s, group ${report.groupId}, dialect ${dialect})`,
  ];
  const notes = (report.compatNotes ?? []).filter((n) => n.findings.length > 0 && !report.strictCompat);
  for (const c of report.cases) {
    const noted = notes.some((n) => n.case === c.name);
    const mark = c.status === 'failed' ? pc.red('✖') : noted ? pc.yellow('○') : pc.green('✔');
    lines.push(
      `  ${mark} ${c.name.padEnd(34)} ${c.kind.padEnd(10)} ${c.results} result(s)${c.violations.length ? pc.red(`  ${c.violations.length} violation(s)`) : ''}${noted ? pc.yellow('  compatibility note') : ''}`,
    );
  }
  if (notes.length > 0) {
    lines.push(
      '',
      pc.yellow(`${notes.length} compatibility note(s) (not contract violations; --strict-compat makes them fail):`),
    );
    for (const n of notes) {
      lines.push(`  ${n.case}: ${n.note}`);
      for (const v of n.findings) lines.push(pc.dim(`    ${formatViolation(v)}`));
    }
  }
  const byRule = (violations: readonly Violation[]) => {
    for (const group of groupViolations(violations)) {
      lines.push(`  ${pc.bold(group.rule)}: ${pc.dim(CONTRACT_RULES[group.rule])}`);
      for (const v of group.violations)
        lines.push(
          `    ${v.message}`,
          pc.dim(`      ${v.cases.length === 1 ? 'case' : `${v.cases.length} cases`}: ${v.cases.join(', ')}`),
        );
    }
  };
  if (report.violations.length > 0) {
    const groups = groupViolations(report.violations);
    const distinct = groups.reduce((n, g) => n + g.violations.length, 0);
    lines.push(
      '',
      pc.red(`${distinct} contract violation(s) under ${groups.length} rule(s), ${report.violations.length} in all:`),
    );
    byRule(report.violations);
  }
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) {
    lines.push(
      '',
      pc.yellow(
        `${warnings.length} warning(s): a "should" the executor did not meet (not failing the run; --strict makes it fail):`,
      ),
    );
    byRule(warnings);
  }
  // Unreadable records the executor never got past, or whose fate the harness could not tell: said, not judged.
  const unjudged = (report.poisonRecords ?? []).filter((p) => p.fate === 'not-consumed' || p.fate === 'undetermined');
  if (unjudged.length > 0) {
    lines.push('', `${unjudged.length} unreadable record(s) not judged:`);
    for (const p of unjudged)
      lines.push(
        pc.dim(`  ${p.fate === 'not-consumed' ? 'not consumed' : 'undetermined'}: ${poisonWhere(p)}: ${p.detail}`),
      );
  }
  lines.push(
    '',
    `${report.passed} passed, ${report.failed} failed${notes.length ? `, ${notes.length} compatibility note(s)` : ''}${warnings.length ? `, ${warnings.length} warning(s)` : ''}${report.deadLettered ? ` (${report.deadLettered} record(s) dead-lettered by the executor)` : ''}`,
  );
  return lines.join('\n');
}

/** JUnit XML: one suite per run, one test case per contract case; a failure lists its violations. */
export function writeContractJUnit(report: ContractReport, file: string): void {
  const xml = builder.newBuilder();
  const suiteName = `gamelan-contract.${report.executorType}`;
  const suite = xml
    .testSuite()
    .name(suiteName)
    .time(report.durationMs / 1000);
  suite.property('dialect', report.dialect ?? 'spec');
  const warnings = report.warnings ?? [];
  suite.property('strict', String(report.strict ?? false));
  suite.property('warnings', String(warnings.length));
  for (const c of report.cases) {
    const testCase = suite.testCase().className(suiteName).name(c.name);
    // A warning does not fail its case (JUnit has no warning): it is the case's output, each line `warning [rule] …`.
    const own = warnings.filter((w) => w.case === c.name).map((w) => `warning ${formatViolation(w)}`);
    if (own.length > 0) testCase.property('warnings', String(own.length));
    if (c.status === 'failed')
      testCase.failure(c.violations.map(formatViolation).join('\n'), c.violations.map((v) => v.rule).join(','));
    else if (c.compat && c.compat.findings.length > 0) {
      // A compatibility note: not a failure of the contract; skipped, with what it found.
      testCase
        .skipped()
        .property('compat', c.compat.note)
        .standardOutput([...c.compat.findings.map(formatViolation), ...own].join('\n'));
      continue;
    }
    if (own.length > 0) testCase.standardOutput(own.join('\n'));
  }
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, redactSecrets(xml.build())); // redacted: executor output and errors may quote its configuration
}

export function writeContractJson(report: ContractReport, file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(
    file,
    redactSecrets(`${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2)}\n`),
  );
}

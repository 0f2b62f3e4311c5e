import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContractReport } from '../../contract/run.js';
import { formatViolation } from '../../contract/rules.js';
import { ConfigError } from '../../errors.js';
import { type Recording, readRecording } from '../../recorder/recording.js';
import type { RunSummary } from '../../scenario/result.js';
import type { ReportInput, ReportScenarioInput } from './input.js';

/** In a `run --record <dir>` directory: the run's summary (results, steps, measurements) beside the flows. */
export const RECORDED_SUMMARY_FILE = 'summary.json';
export const recordedSummaryFile = (dir: string) => path.join(dir, RECORDED_SUMMARY_FILE);
/** Optional, per scenario: the history checker's findings for that flow. */
export const anomaliesFile = (dir: string, name: string) => path.join(dir, `${name}.anomalies.json`);

/** A `run`: each scenario's result with its recording (and the checker's findings, when there are any). */
export function reportInputFromRun(
  summary: RunSummary,
  recordings: ReadonlyMap<string, Recording>,
  anomalies: ReadonlyMap<string, unknown> = new Map(),
  title = 'gamelan-harness run',
): ReportInput {
  return {
    title,
    source: 'run',
    startedAt: summary.startedAt,
    durationMs: summary.durationMs,
    kafka: summary.kafka,
    bootstrapServers: summary.bootstrapServers,
    ...(summary.seed === undefined ? {} : { seed: summary.seed }),
    ...(summary.replay === undefined ? {} : { replay: summary.replay }),
    scenarios: summary.scenarios.map((s) => {
      const recording = recordings.get(s.name);
      const found = anomalies.get(s.name);
      return {
        name: s.name,
        description: s.description,
        // A skipped scenario played nothing: the page shows it without a result, and why.
        status: s.status === 'skipped' ? 'unknown' : s.status,
        durationMs: s.durationMs,
        steps: s.steps,
        ...(s.error === undefined ? {} : { error: s.error }),
        ...(s.skipReason === undefined ? {} : { error: `skipped: ${s.skipReason}` }),
        measurements: s.measurements,
        ...(recording ? { recording } : {}),
        ...(found === undefined ? {} : { anomalies: found }),
        ...(s.seed === undefined ? {} : { seed: s.seed }),
        ...(s.replay === undefined ? {} : { replay: s.replay }),
        ...(s.faults === undefined ? {} : { faults: s.faults }),
      };
    }),
  };
}

/** A contract run as one scenario: one step per case, its violations as the step's error. */
export function reportInputFromContract(report: ContractReport, recording?: Recording): ReportInput {
  const byRule: Record<string, number> = {};
  for (const v of report.violations) byRule[v.rule] = (byRule[v.rule] ?? 0) + 1;
  const scenario: ReportScenarioInput = {
    name: `contract ${report.executorType}`,
    description: `The executor contract for type "${report.executorType}" (group ${report.groupId}): ${report.cases.length} cases.`,
    status: report.failed > 0 ? 'failed' : 'passed',
    durationMs: report.durationMs,
    steps: report.cases.map((c) => ({
      name: `${c.kind} ${c.name}${c.taskId ? ` (${c.taskId})` : ''}`,
      status: c.status,
      durationMs: 0,
      ...(c.violations.length ? { error: c.violations.map((v) => `[${v.rule}] ${v.message}`).join('\n') } : {}),
    })),
    ...(report.failed > 0 ? { error: `${report.failed} of ${report.cases.length} cases failed` } : {}),
    warnings: (report.warnings ?? []).map(formatViolation),
    measurements: {
      cases: report.cases.length,
      passed: report.passed,
      failed: report.failed,
      deadLettered: report.deadLettered,
      violationsByRule: byRule,
      warnings: (report.warnings ?? []).length,
      unreadableRecords: fates(report),
      strict: report.strict ?? false,
    },
    ...(recording ? { recording } : {}),
    engineLabel: 'contract',
  };
  return {
    title: `gamelan-harness contract: ${report.executorType}`,
    source: 'contract',
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    bootstrapServers: report.bootstrapServers,
    scenarios: [scenario],
  };
}

/** How many unreadable records met each fate (dead-lettered, answered, dropped, not-consumed, undetermined). */
function fates(report: ContractReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of report.poisonRecords ?? []) out[p.fate] = (out[p.fate] ?? 0) + 1;
  return out;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new ConfigError('CONFIG_PARSE_FAILED', `${file} is not JSON: ${(e as Error).message}`, { file });
  }
}

/**
 * A `run --record <dir>` directory read back: `summary.json` for the results (written by `run --record`),
 * `<scenario>.jsonl` (+ `.groups.jsonl`, `.lag.jsonl`) for each flow, `<scenario>.anomalies.json` when present
 * (else `options.findings`, e.g. the history checker, reads the flow).
 * Flows without a summary (older recordings, or a recorder exported by hand) are shown without results.
 */
export function reportInputFromRecordDir(
  dir: string,
  options: { readonly findings?: (recording: Recording) => unknown } = {},
): ReportInput {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(
      'CONFIG_FILE_NOT_FOUND',
      `${dir} is not a directory: give the directory written by \`run --record <dir>\`.`,
      { file: dir },
    );
  }
  const flows = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && !f.endsWith('.groups.jsonl') && !f.endsWith('.lag.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
  const summaryFile = recordedSummaryFile(dir);
  const summary = existsSync(summaryFile) ? (readJson(summaryFile) as RunSummary) : undefined;
  if (summary !== undefined && !Array.isArray(summary.scenarios)) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${summaryFile} has no "scenarios" array: it is the run summary \`run --record\` writes (the same as \`run --json\`).`,
      { file: summaryFile },
    );
  }
  if (flows.length === 0 && !summary) {
    throw new ConfigError(
      'CONFIG_FILE_NOT_FOUND',
      `${dir} holds no recording (no <scenario>.jsonl, no ${RECORDED_SUMMARY_FILE}): write one with \`run --record ${dir}\`.`,
      { file: dir },
    );
  }
  const recordings = new Map(flows.map((name) => [name, readRecording(dir, name)]));
  // Findings saved beside a flow win; otherwise the given checker reads the flow.
  const anomalies = new Map<string, unknown>();
  for (const name of flows) {
    if (existsSync(anomaliesFile(dir, name))) anomalies.set(name, readJson(anomaliesFile(dir, name)));
    else if (options.findings) anomalies.set(name, options.findings(recordings.get(name)!));
  }
  const title = `gamelan-harness recording: ${path.basename(path.resolve(dir))}`;
  if (summary) {
    const input = reportInputFromRun(summary, recordings, anomalies, title);
    // Flows recorded without a result in the summary still get their section.
    const extra = flows
      .filter((name) => !summary.scenarios.some((s) => s.name === name))
      .map((name) => unreported(name, recordings.get(name)!, anomalies.get(name)));
    return { ...input, source: 'recording', scenarios: [...input.scenarios, ...extra] };
  }
  return {
    title,
    source: 'recording',
    scenarios: flows.map((name) => unreported(name, recordings.get(name)!, anomalies.get(name))),
  };
}

function unreported(name: string, recording: Recording, anomalies: unknown): ReportScenarioInput {
  return {
    name,
    description: `No result was recorded for this flow (no ${RECORDED_SUMMARY_FILE} entry): only what the recorder saw is shown.`,
    status: 'unknown',
    durationMs: 0,
    steps: [],
    recording,
    ...(anomalies === undefined ? {} : { anomalies }),
  };
}

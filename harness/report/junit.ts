import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import junit, { type Builder } from 'junit-report-builder';
import type { RunSummary } from '../scenario/result.js';
import { redactSecrets } from '../config/secrets.js';

// The package's CJS typings describe its default export as the module namespace; at run time it is the builder.
const builder = junit as unknown as Builder;

/** JUnit XML for CI: one test suite per scenario, one test case per step. */
export function writeJUnitReport(summary: RunSummary, file: string, suiteName = 'gamelan-harness'): void {
  const report = builder.newBuilder();
  for (const scenario of summary.scenarios) {
    const suite = report
      .testSuite()
      .name(`${suiteName}.${scenario.name}`)
      .time(scenario.durationMs / 1000);
    // The seed and the command that replays it, as suite properties and as each failed case's output (the failure
    // message stays the step's own).
    const seed = scenario.seed ?? summary.seed;
    if (seed !== undefined) suite.property('seed', String(seed));
    if (scenario.replay) suite.property('replay', scenario.replay);
    const replayNote =
      seed === undefined ? undefined : `seed ${seed}${scenario.replay ? `; replay: ${scenario.replay}` : ''}`;
    if (scenario.status === 'skipped') {
      suite
        .testCase()
        .className(`${suiteName}.${scenario.name}`)
        .name(scenario.name)
        .skipped()
        .standardOutput(`skipped: ${scenario.skipReason ?? 'not played'}`);
      continue;
    }
    const steps =
      scenario.steps.length > 0
        ? scenario.steps
        : [{ name: scenario.name, status: scenario.status, durationMs: scenario.durationMs, error: scenario.error }];
    for (const step of steps) {
      const testCase = suite
        .testCase()
        .className(`${suiteName}.${scenario.name}`)
        .name(step.name)
        .time(step.durationMs / 1000);
      if (step.status === 'failed') {
        testCase.failure(step.error ?? 'failed');
        if (replayNote) testCase.standardOutput(replayNote);
      }
    }
    if (
      scenario.status === 'failed' &&
      scenario.steps.every((s) => s.status === 'passed') &&
      scenario.steps.length > 0
    ) {
      const testCase = suite
        .testCase()
        .className(`${suiteName}.${scenario.name}`)
        .name('scenario')
        .failure(scenario.error ?? 'failed');
      if (replayNote) testCase.standardOutput(replayNote);
    }
  }
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, redactSecrets(report.build())); // redacted: a failure message may quote a client's configuration
}

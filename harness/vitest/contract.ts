import { beforeAll, describe, it } from 'vitest';
import type { StartedBroker } from '../brokers/types.js';
import type { ExecutorContractOptions } from '../contract/external.js';
import type { HandlerContractOptions } from '../contract/handler.js';
import type { ContractReport } from '../contract/run.js';
import { formatViolation } from '../contract/rules.js';

// The executor contract as a vitest suite: one run against a real broker in beforeAll, then one test per
// contract case, failing with that case's violations (rule, task, offending value).
//
//   describeExecutorContract('payment handler', { executorType: 'payment-processor', handler: myHandler });
//   describeExecutorContract('java executor', { executorType: 'payment-processor', command: 'java -jar target/x.jar' });
//   describeExecutorContract('quarkus executor', { executorType: 'payment-processor', command: 'java -jar target/q.jar', dialect: 'upstream' });
//
// `dialect` (default spec) is the wire the tasks are written in and the results judged by; in spec, compatibility
// cases (tasks with the upstream Java names) pass with a note unless `strictCompat: true`.

type Common = {
  /** A broker to use (the caller stops it); default: a stack started for the run in beforeAll (`stack` options, provider auto) and stopped when the run ends. */
  readonly broker?: () => StartedBroker | Promise<StartedBroker>;
  /** The beforeAll timeout (default 180 s: broker, executor start and answers). */
  readonly timeoutMs?: number;
};

export type ContractSuiteOptions =
  | (Common & Omit<HandlerContractOptions, 'broker'> & { readonly command?: undefined })
  | (Common & Omit<ExecutorContractOptions, 'broker'> & { readonly handler?: undefined });

/** One case's violations (failing it) and warnings (a "should" not met; failing only with `strict`), one line each. */
export function caseFindings(
  report: ContractReport | undefined,
  caseName: string,
): { violations: string[]; warnings: string[] } {
  const found = report?.cases.find((c) => c.name === caseName);
  return {
    violations: (found?.violations ?? []).map(formatViolation),
    warnings: (report?.warnings ?? []).filter((w) => w.case === caseName).map(formatViolation),
  };
}

/** Register a describe block that checks a TypeScript handler (`handler`) or an external executor (`command`). */
export function describeExecutorContract(name: string, options: ContractSuiteOptions): void {
  // The contract's modules (and faker, which builds the seeded cases) load when the suite is collected, so importing
  // gamelan-kafka-harness/vitest for its matchers alone loads neither.
  describe(name, async () => {
    const [{ contractCases }, { checkExecutorContract }, { checkHandlerContract }] = await Promise.all([
      import('../contract/cases.js'),
      import('../contract/external.js'),
      import('../contract/handler.js'),
    ]);
    const cases = options.cases ?? contractCases(options);
    let report: ContractReport | undefined;
    let failure: unknown;
    beforeAll(async () => {
      try {
        // With no broker given, the check starts a stack for the run and stops it when the run ends.
        const broker = options.broker ? await options.broker() : undefined;
        const common = { ...options, cases, ...(broker ? { broker } : {}) };
        report =
          options.command === undefined
            ? await checkHandlerContract(common as HandlerContractOptions)
            : await checkExecutorContract(common as ExecutorContractOptions);
      } catch (error) {
        failure = error; // reported by every case, not as a hook failure that hides which suite it was
      }
    }, options.timeoutMs ?? 180_000);
    it.for([...cases.map((c) => c.name), 'executor', 'unmatched-results'])('%s', async (caseName, { annotate }) => {
      if (failure !== undefined) throw failure;
      const { violations, warnings } = caseFindings(report, caseName);
      // A "should" not met (without `strict`) passes the case with a warning annotation, shown by the reporters.
      for (const w of warnings) await annotate(w, 'warning');
      if (violations.length > 0)
        throw new Error(`${violations.length} contract violation(s):\n${violations.join('\n')}`);
    });
  });
}

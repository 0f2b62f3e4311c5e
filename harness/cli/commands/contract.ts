import { existsSync } from 'node:fs';
import { readTextFileBounded } from '../../config/read-bounded.js';
import { stderrColors as pc } from '../../colors.js';
import type { Argv } from 'yargs';
import type { WireTask } from '../../contract/cases.js';
import { ConfigError } from '../../errors.js';
import type { Recording } from '../../recorder/recording.js';
import type { CommandBody } from '../lazy-command.js';
import { announceCluster, UP_STATE_FILE_OPTION } from '../cluster-choice.js';
import { type BrokerArgs, withBrokerOptions } from '../options.js';
import { type ClientArgs, withClientOption } from '../client-option.js';
import { assertPortsFree, checkNumbers, checkPaths } from '../validate.js';
import { checkOutputPaths } from '../output-paths.js';
import { clusterCleanup, KEEP_OPTION } from '../cluster-cleanup.js';
import { type DialectArgs, readConfigOptionsFrom, topicDialect, withDialectOptions } from '../dialect-options.js';
import { reportError } from '../report-error.js';

interface ContractArgs extends BrokerArgs, DialectArgs, ClientArgs {
  stateFile?: string | undefined;
  strictCompat: boolean;
  strict: boolean;
  verbose?: boolean;
  keep: boolean;
  executorCmd: string;
  type: string;
  junit?: string | undefined;
  json?: string | undefined;
  report?: string | undefined;
  cases?: string | undefined;
  seed: number;
  fakerCases: number;
  joinTimeout: number;
  answerTimeout: number;
  showOutput: boolean;
}

export const contractCommand: CommandBody<ContractArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withClientOption(withBrokerOptions(yargs)), {
      describe:
        'Check the executor as an engine of this dialect reads its results: spec (the protocol README: SUCCESS, token, taskId) or upstream (the Gamelan Java engine: COMPLETED, executionToken, MicroProfile environment names)',
    })
      .option('state-file', UP_STATE_FILE_OPTION)
      .option('strict-compat', {
        type: 'boolean',
        default: false,
        describe:
          'Compatibility cases (in spec: tasks with the upstream Java names) fail the run instead of being reported as notes',
      })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe:
          'Every "should" fails the run (exit 1) instead of a warning: an unreadable record the executor got past without dead-lettering or answering it ("dropped without a trace")',
      })
      .option('executor-cmd', {
        type: 'string',
        demandOption: true,
        describe: 'Shell command that starts the executor (it reads GAMELAN_* from its environment)',
      })
      .option('type', {
        type: 'string',
        demandOption: true,
        describe: 'The executor type it serves (targetExecutor of its tasks)',
      })
      .option('junit', { type: 'string', describe: 'Write JUnit XML here (one test case per contract case)' })
      .option('json', { type: 'string', describe: 'Write the machine-readable report here' })
      .option('report', {
        type: 'string',
        describe: 'Write a self-contained HTML report here (cases, message sequence, group membership, dead letters)',
      })
      .option('cases', {
        type: 'string',
        describe: 'A JSON file of your own tasks: [{ "name": "…", "task": { TaskMessage JSON } }]',
      })
      .option('seed', { type: 'number', default: 1, describe: 'First seed of the faker tasks' })
      .option('faker-cases', { type: 'number', default: 5, describe: 'How many seeded faker tasks' })
      .option('join-timeout', {
        type: 'number',
        default: 60_000,
        describe: 'ms the executor may take to join its consumer group',
      })
      .option('answer-timeout', {
        type: 'number',
        default: 30_000,
        describe: 'ms to wait for all answers once the cases are sent',
      })
      .option('keep', KEEP_OPTION)
      .option('show-output', {
        type: 'boolean',
        default: false,
        describe: "Echo the executor's output (always shown when it fails to join or exits)",
      })
      .check((argv) => {
        for (const name of ['executor-cmd', 'type', 'strict'] as const) {
          if (Array.isArray(argv[name]))
            throw new Error(`--${name} is given ${(argv[name] as unknown[]).length} times: give it once.`);
        }
        // yargs reads `--strict=maybe` as false, silently: only true and false are values of a switch.
        const strictValue = process.argv
          .slice(2)
          .find((arg) => /^--(no-)?strict=/.test(arg) && !/=(true|false)$/.test(arg));
        if (strictValue !== undefined)
          throw new Error(
            `${strictValue} is not a value of --strict: give --strict (or --strict=true), or leave it out (--no-strict, --strict=false).`,
          );
        if (!String(argv.executorCmd ?? '').trim())
          throw new Error('--executor-cmd is empty: give the command that starts your executor.');
        if (!/^[A-Za-z0-9._:-]+$/.test(String(argv.type)))
          throw new Error(
            `--type ${JSON.stringify(argv.type)} is not an executor type: letters, digits, '.', '_', ':', '-'.`,
          );
        checkPaths(argv, ['junit', 'json', 'report', 'cases']);
        checkOutputPaths(argv, { junit: 'file', json: 'file', report: 'file' });
        return checkNumbers(argv, {
          seed: { min: 0 },
          'faker-cases': { min: 0, max: 1_000 },
          'join-timeout': { min: 1, unit: 'ms' },
          'answer-timeout': { min: 1, unit: 'ms' },
        });
      }) as unknown as Argv<ContractArgs>,
  handler: async (argv) => {
    const tasks = argv.cases ? readCases(argv.cases) : [];
    if (argv.cases) await checkCases(argv.cases, argv.type, tasks);
    // Bad cases are refused above (exit 2, nothing touched); then the first line: which cluster the contract runs on.
    const { options } = announceCluster(argv, { useUp: true });
    const [
      { startStack },
      { registerCleanup },
      { runExecutorContract },
      { renderContractSummary, writeContractJson, writeContractJUnit },
      { progressReporter, warn },
    ] = await Promise.all([
      import('../../stack/start-stack.js'),
      import('../../lifecycle/index.js'),
      import('../../contract/external.js'),
      import('../../contract/report.js'),
      import('../progress.js'),
    ]);
    if (options.kafka !== 'external') await assertPortsFree(argv.port, argv.brokers);
    const stack = await startStack({
      ...options,
      read: readConfigOptionsFrom(argv),
      onProgress: progressReporter(),
      onWarning: warn,
    });
    const unregister = registerCleanup({ name: 'harness stack', stop: () => stack.stop(), killSync: () => {} });
    let recording: Recording | undefined;
    try {
      // The command owns the stack (started above, stopped below and on signals); the check only uses it.
      const cleanup = clusterCleanup(stack.broker.kind, argv.keep);
      const report = await runExecutorContract(stack.broker, stack.config.gamelan, {
        ...(cleanup.removeWhenStopped ? { removeWhenStopped: cleanup.removeWhenStopped } : {}),
        command: argv.executorCmd,
        executorType: argv.type,
        tasks,
        seed: argv.seed,
        fakerCount: argv.fakerCases,
        dialect: topicDialect(argv.dialect),
        strictCompat: argv.strictCompat,
        strict: argv.strict,
        joinTimeoutMs: argv.joinTimeout,
        answerTimeoutMs: argv.answerTimeout,
        onProgress: (m) => process.stderr.write(`${pc.dim(`▶ ${m}`)}\n`),
        ...(argv.showOutput
          ? { onOutput: (line: string) => process.stderr.write(`${pc.dim(`[executor] ${line}`)}\n`) }
          : {}),
        ...(argv.report ? { onRecording: (r: Recording) => (recording = r) } : {}),
      });
      process.stdout.write(`${renderContractSummary(report)}\n`);
      const cleaned = cleanup.summary(stack.broker.bootstrapServers);
      if (cleaned) process.stderr.write(`${cleaned}\n`);
      if (argv.junit) writeContractJUnit(report, argv.junit);
      if (argv.json) writeContractJson(report, argv.json);
      if (argv.report) {
        const html = await import('../../report/html/index.js');
        html.writeHtmlReport(html.reportInputFromContract(report, recording), argv.report);
        process.stderr.write(`HTML report: ${argv.report}\n`);
      }
      if (report.failed > 0) process.exitCode = 1;
    } catch (error) {
      // Said now, before the stack stops, so the output follows what happened: the error, then `✔ Stopped`.
      process.exitCode = reportError(error, { verbose: argv.verbose ?? false });
    } finally {
      await stack.stop();
      unregister();
    }
  },
};

/** Every author task is a valid TaskMessage, known before a broker starts (bad input, exit 2). */
async function checkCases(
  file: string,
  executorType: string,
  tasks: { name: string; task: WireTask }[],
): Promise<void> {
  const [{ contractCases }, { ContractError }] = await Promise.all([
    import('../../contract/cases.js'),
    import('../../errors.js'),
  ]);
  try {
    contractCases({ executorType, tasks, golden: false, robustness: false, fakerCount: 0 });
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    throw new ContractError(error.code as 'CONTRACT_CASE_INVALID', `--cases ${file}: ${error.message}`, error.details, {
      cause: error,
    });
  }
}

function readCases(file: string): { name: string; task: WireTask }[] {
  if (!existsSync(file)) throw new ConfigError('CONFIG_FILE_NOT_FOUND', `--cases ${file} does not exist.`, { file });
  const text = readTextFileBounded(file, { what: `--cases ${file}` });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('CONFIG_PARSE_FAILED', `--cases ${file} is not JSON: ${(e as Error).message}`, { file });
  }
  const ok =
    Array.isArray(json) &&
    json.every(
      (c) => typeof c?.name === 'string' && c.task !== null && typeof c.task === 'object' && !Array.isArray(c.task),
    );
  if (!ok)
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `--cases ${file} must be an array of { "name": string, "task": { TaskMessage JSON } }.`,
      { file, value: json },
    );
  return json as { name: string; task: WireTask }[];
}

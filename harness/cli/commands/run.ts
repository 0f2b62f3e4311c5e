import { stderrColors as pc } from '../../colors.js';
import type { Argv } from 'yargs';
import type { Recording } from '../../recorder/recording.js';
import type { CommandBody } from '../lazy-command.js';
import { announceCluster, UP_STATE_FILE_OPTION } from '../cluster-choice.js';
import { type BrokerArgs, withBrokerOptions } from '../options.js';
import { type ClientArgs, withClientOption } from '../client-option.js';
import { type GroupProtocolArgs, withGroupProtocolOption } from '../group-protocol-option.js';
import { chooseGroupProtocol } from '../../clients/group-protocol-choice.js';
import { assertPortsFree, checkPaths } from '../validate.js';
import { checkOutputPaths } from '../output-paths.js';
import { clusterCleanup, KEEP_OPTION } from '../cluster-cleanup.js';
import { EXIT_INTERRUPTED, handleInterrupts } from '../interrupt.js';
import { type DialectArgs, readConfigOptionsFrom, topicDialect, withDialectOptions } from '../dialect-options.js';

interface RunArgs extends BrokerArgs, DialectArgs, ClientArgs, GroupProtocolArgs {
  scenarios: string[];
  json?: string | undefined;
  junit?: string | undefined;
  record?: string | undefined;
  report?: string | undefined;
  stateFile?: string | undefined;
  tag: string[];
  all: boolean;
  strictHistory: boolean;
  long: boolean;
  keep: boolean;
  seed?: string | undefined;
}

export const runCommand: CommandBody<RunArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withGroupProtocolOption(withClientOption(withBrokerOptions(yargs))), {
      describe:
        'Play the scenarios in this wire dialect (engine, executors, recorder): spec (the protocol README) or upstream (the Gamelan Java code)',
    })
      .positional('scenarios', {
        type: 'string',
        array: true,
        default: [],
        describe: 'Bundled scenario names, files or directories (default: all bundled)',
      })
      .option('json', { type: 'string', describe: 'Write the machine-readable results here' })
      .option('junit', { type: 'string', describe: 'Write JUnit XML here' })
      .option('record', {
        type: 'string',
        describe:
          "Write each scenario's recording to <dir> (<scenario>.jsonl, .groups.jsonl, .lag.jsonl and summary.json; `report <dir>` renders it)",
      })
      .option('report', {
        type: 'string',
        describe:
          'Write a self-contained HTML report here (message sequence, group membership, lag, retries, dead letters, anomalies)',
      })
      .option('state-file', UP_STATE_FILE_OPTION)
      .option('tag', {
        type: 'string',
        array: true,
        default: [],
        describe: 'Also play every bundled scenario with this tag (slow, chaos)',
      })
      .option('all', {
        type: 'boolean',
        default: false,
        describe: 'Play every bundled scenario, slow and chaos ones included',
      })
      .option('long', {
        type: 'boolean',
        default: false,
        describe:
          'Play the long version of the chaos scenarios (more runs, more faults, minutes each; sets GAMELAN_CHAOS_LONG=1)',
      })
      .option('keep', KEEP_OPTION)
      .option('seed', {
        type: 'string',
        describe:
          'Draw every random choice of the scenarios (fault timing and victims, data) from this seed, a whole number 0-4294967295 (default: $GAMELAN_SEED, else one at random); the seed and the command that replays it are printed and in every report',
      })
      .option('strict-history', {
        type: 'boolean',
        default: false,
        describe:
          'Fail any scenario whose recorded flow has history anomalies (lost, duplicated… tasks); default: only chaos scenarios and those that ask',
      })
      .check(
        (argv) =>
          checkPaths(argv, ['json', 'junit', 'record', 'report']) &&
          checkOutputPaths(argv, { json: 'file', junit: 'file', report: 'file', record: 'directory' }),
      ) as unknown as Argv<RunArgs>,
  handler: async (argv) => {
    const [{ importScenarios }, { LONG_CHAOS_ENV }, seeds] = await Promise.all([
      import('../../scenario/import-scenarios.js'),
      import('../../scenario/length.js'),
      import('../../scenario/seed.js'),
    ]);
    // The seed first: a bad one is refused (exit 2) before anything is loaded or started.
    const seedGiven =
      argv.seed !== undefined
        ? seeds.parseSeed(argv.seed, '--seed')
        : process.env[seeds.SEED_ENV] !== undefined
          ? seeds.parseSeed(process.env[seeds.SEED_ENV], seeds.SEED_ENV)
          : undefined;
    const seed = seedGiven ?? seeds.randomSeed();
    if (argv.long) process.env[LONG_CHAOS_ENV] = '1'; // before the scenario modules size themselves at import
    const scenarios = await importScenarios(argv.scenarios, { tags: argv.tag, all: argv.all });
    // Bad scenarios are refused above (exit 2, nothing touched); then the first line: which cluster this plays on.
    const { options } = announceCluster(argv, { useUp: true });
    // Checked against the client by the option (exit 2 before this); the replay commands keep a non-default one.
    const groupProtocol = chooseGroupProtocol(argv.groupProtocol);
    const replayOptions = { dialect: argv.dialect, groupProtocol };
    const { replayCommandFor } = await import('../../scenario/replay.js');
    const replayAll = replayCommandFor(
      scenarios.map((s) => ({ name: s.definition.name, file: s.file })),
      seed,
      replayOptions,
    );
    process.stderr.write(`seed ${seed}${seedGiven === undefined ? ' (drawn at random)' : ''}; replay: ${replayAll}\n`);
    const [
      { startStack },
      { registerCleanup },
      { runScenarios },
      { renderScenarioTable },
      { writeJsonReport },
      { writeJUnitReport },
      { progressReporter, warn },
    ] = await Promise.all([
      import('../../stack/start-stack.js'),
      import('../../lifecycle/index.js'),
      import('../../scenario/runner.js'),
      import('../../report/scenario-table.js'),
      import('../../report/json.js'),
      import('../../report/junit.js'),
      import('../progress.js'),
    ]);
    // Scenarios that need brokers or faults (chaos) get them: more nodes, Toxiproxy and a native cluster advertising it.
    const { stackForScenarios } = await import('../../stack/fault-stack.js');
    const brokersGiven = process.argv.slice(2).some((a) => a === '--brokers' || a.startsWith('--brokers='));
    const forScenarios = await stackForScenarios(
      scenarios.map((s) => s.definition.needs),
      options,
      { brokersGiven },
    );
    const unregisterFaults = registerCleanup({
      name: 'fault proxy',
      stop: () => forScenarios.stop(),
      killSync: () => {},
    });
    if (options.kafka !== 'external') await assertPortsFree(argv.port, forScenarios.options.brokers ?? argv.brokers);
    const stack = await startStack({
      ...forScenarios.options,
      read: readConfigOptionsFrom(argv),
      onProgress: progressReporter(),
      onWarning: warn,
    });
    const recordings = new Map<string, Recording>();
    const cleanup = clusterCleanup(stack.broker.kind, argv.keep);
    // Ctrl-C: the playing scenario stops, the rest are skipped, the table and reports show the run so far.
    const { silenceKafkaLogs } = await import('../../clients/log.js');
    const stopRun = new AbortController();
    const interrupts = handleInterrupts(() => {
      silenceKafkaLogs();
      stopRun.abort();
    });
    const unregister = registerCleanup({ name: 'harness stack', stop: () => stack.stop(), killSync: () => {} });
    try {
      const summary = await runScenarios(scenarios, {
        broker: stack.broker,
        config: stack.config.gamelan,
        dialect: topicDialect(argv.dialect),
        groupProtocol,
        ...(forScenarios.toxiproxy ? { toxiproxy: forScenarios.toxiproxy } : {}),
        ...(forScenarios.proxies ? { advertised: forScenarios.proxies } : {}),
        strictHistory: argv.strictHistory,
        seed,
        signal: stopRun.signal,
        ...(cleanup.removeWhenStopped ? { removeWhenStopped: cleanup.removeWhenStopped } : {}),
        onScenario: ({ name, result }) => {
          if (!result) process.stderr.write(`${pc.dim('▶')} ${name}\n`);
          else if (result.status === 'skipped')
            process.stderr.write(`${pc.yellow('-')} ${name} skipped: ${result.skipReason}\n`);
          else
            process.stderr.write(
              `${result.status === 'passed' ? pc.green('✔') : pc.red('✖')} ${name} (${(result.durationMs / 1000).toFixed(1)} s)\n`,
            );
        },
        log: (message) => process.stderr.write(`${pc.dim(message)}\n`),
        ...(argv.record ? { recordDir: argv.record } : {}),
        ...(argv.report
          ? { onRecording: (name: string, recording: Recording) => recordings.set(name, recording) }
          : {}),
      });
      process.stdout.write(
        `${renderScenarioTable(summary, { replay: (failed) => replayCommandFor(failed, seed, replayOptions) })}\n`,
      );
      const cleaned = cleanup.summary(stack.broker.bootstrapServers);
      if (cleaned) process.stderr.write(`${cleaned}\n`);
      // Every report carries the seed and the command that replays it (the whole run, and each scenario alone).
      const replayed = {
        ...summary,
        replay: replayAll,
        scenarios: summary.scenarios.map((s) => ({ ...s, replay: replayCommandFor([s], seed, replayOptions) })),
      };
      if (argv.json) writeJsonReport(replayed, argv.json);
      if (argv.junit) writeJUnitReport(replayed, argv.junit);
      if (argv.record)
        writeJsonReport(replayed, (await import('../../report/html/sources.js')).recordedSummaryFile(argv.record));
      if (argv.report) {
        const html = await import('../../report/html/index.js');
        const { historyFindings } = await import('../../report/html/findings.js');
        const { ANOMALY_TITLES } = await import('../../checker/index.js');
        // The runner's verdict (checked with the dialect's order) where there is one.
        const verdict = (name: string) => summary.scenarios.find((s) => s.name === name)?.history;
        const findings = new Map(
          [...recordings].map(([name, recording]) => [
            name,
            verdict(name) ? { ...verdict(name), titles: ANOMALY_TITLES } : historyFindings(recording),
          ]),
        );
        html.writeHtmlReport(html.reportInputFromRun(replayed, recordings, findings), argv.report);
        process.stderr.write(`HTML report: ${argv.report}\n`);
      }
      if (summary.failed > 0) process.exitCode = 1;
      if (interrupts.interrupted) {
        process.stderr.write('Interrupted: the table above is the run so far; the broker is being stopped.\n');
        process.exitCode = EXIT_INTERRUPTED;
      }
    } finally {
      await stack.stop();
      unregister();
      await forScenarios.stop();
      unregisterFaults();
      interrupts.dispose();
    }
  },
};

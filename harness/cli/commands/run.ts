import pc from 'picocolors';
import type { Argv, CommandModule } from 'yargs';
import { registerCleanup } from '../../lifecycle/index.js';
import { writeJsonReport } from '../../report/json.js';
import { writeJUnitReport } from '../../report/junit.js';
import { renderScenarioTable } from '../../report/scenario-table.js';
import { loadScenarios } from '../../scenario/load.js';
import { runScenarios } from '../../scenario/runner.js';
import { startStack } from '../../stack/start-stack.js';
import { type BrokerArgs, stackOptionsFrom, withBrokerOptions } from '../options.js';
import { progressReporter, warn } from '../progress.js';
import { isAlive, readState, stateFilePath } from '../state.js';

interface RunArgs extends BrokerArgs {
  scenarios: string[];
  json?: string | undefined;
  junit?: string | undefined;
  record?: string | undefined;
  stateFile?: string | undefined;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenarios..]',
  describe: 'Boot Kafka (or use the one from `up`), provision the topics, play scenarios, print a pass/fail table',
  builder: (yargs: Argv) =>
    withBrokerOptions(yargs)
      .positional('scenarios', { type: 'string', array: true, default: [], describe: 'Bundled scenario names, files or directories (default: all bundled)' })
      .option('json', { type: 'string', describe: 'Write the machine-readable results here' })
      .option('junit', { type: 'string', describe: 'Write JUnit XML here' })
      .option('record', { type: 'string', describe: 'Write each scenario\'s recorded message flow to <dir>/<scenario>.jsonl' })
      .option('state-file', { type: 'string', describe: 'State file written by `up` (its broker is used when alive)' }) as unknown as Argv<RunArgs>,
  handler: async (argv) => {
    const scenarios = await loadScenarios(argv.scenarios);
    const running = readState(stateFilePath(argv.stateFile));
    const useUp = argv.kafka === 'auto' && !argv.bootstrapServers && running !== undefined && isAlive(running.pid);
    const options = stackOptionsFrom(useUp ? { ...argv, kafka: 'external', bootstrapServers: running.bootstrapServers.join(',') } : argv);
    if (useUp) process.stderr.write(`Using the harness from \`up\` (pid ${running.pid}) at ${running.bootstrapServers.join(',')}\n`);
    const stack = await startStack({ ...options, onProgress: progressReporter(), onWarning: warn });
    const unregister = registerCleanup({ name: 'harness stack', stop: () => stack.stop(), killSync: () => {} });
    try {
      const summary = await runScenarios(scenarios, {
        broker: stack.broker,
        config: stack.config.gamelan,
        onScenario: ({ name, result }) => {
          if (!result) process.stderr.write(`${pc.dim('▶')} ${name}\n`);
          else process.stderr.write(`${result.status === 'passed' ? pc.green('✔') : pc.red('✖')} ${name} (${(result.durationMs / 1000).toFixed(1)} s)\n`);
        },
        log: (message) => process.stderr.write(`${pc.dim(message)}\n`),
        ...(argv.record ? { recordDir: argv.record } : {}),
      });
      process.stdout.write(`${renderScenarioTable(summary)}\n`);
      if (argv.json) writeJsonReport(summary, argv.json);
      if (argv.junit) writeJUnitReport(summary, argv.junit);
      if (summary.failed > 0) process.exitCode = 1;
    } finally {
      await stack.stop();
      unregister();
    }
  },
};

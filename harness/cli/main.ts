#!/usr/bin/env node
import { HarnessError } from '../errors.js';
import { COMMANDS } from './commands/index.js';
import { lazyCommand } from './lazy-command.js';
import { LOG_LEVELS } from './log-level.js';
import { guardOutput } from './output.js';
import { reportError, UsageError } from './report-error.js';
import { hideBin, yargs } from './yargs-runtime.js';

export { EXIT_BAD_INPUT, EXIT_FAILURE } from './report-error.js';

// Only yargs and the command registry load here: every command's module is imported when that command
// runs (see commands/index.ts), so `--help` and bad input answer at once.

export async function main(argv: readonly string[]): Promise<void> {
  guardOutput();
  let cli = yargs(argv)
    .scriptName('gamelan-harness')
    .option('verbose', {
      type: 'boolean',
      default: false,
      global: true,
      describe: 'Show stack traces and the timing of each step',
    })
    .option('log-level', {
      choices: LOG_LEVELS,
      global: true,
      describe: "The Kafka clients' log on stderr (default nothing; warn with --verbose)",
    });
  for (const entry of COMMANDS) cli = cli.command(lazyCommand(entry));
  cli = cli
    .demandCommand(1, 'Name a command; see --help.')
    .strict()
    .recommendCommands()
    .fail((message, error) => {
      // yargs reports its own validation with a message; errors from handlers come as `error`.
      throw error instanceof HarnessError || !message ? error : new UsageError(message);
    })
    .help()
    .wrap(Math.min(120, process.stdout.columns || 100));
  try {
    await cli.parseAsync();
  } catch (error) {
    process.exitCode = reportError(error, { verbose: argv.includes('--verbose') });
  }
}

await main(hideBin(process.argv));
// A command that finished is done: leftover client sockets or timers must not keep the CLI alive
// (the lifecycle's exit hook still kills anything registered).
process.exit();

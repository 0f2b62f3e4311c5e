#!/usr/bin/env node
import pc from 'picocolors';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, HarnessError, TopicError } from '../errors.js';
import { contractCommand } from './commands/contract.js';
import { doctorCommand } from './commands/doctor.js';
import { downCommand } from './commands/down.js';
import { dlqCommand } from './commands/dlq.js';
import { lagCommand } from './commands/lag.js';
import { listCommand } from './commands/list.js';
import { resetOffsetsCommand } from './commands/reset-offsets.js';
import { tailCommand } from './commands/tail.js';
import { runCommand } from './commands/run.js';
import { topicsCommand } from './commands/topics.js';
import { upCommand } from './commands/up.js';

/** Exit codes: 0 ok, 1 a run or check failed, 2 bad input (nothing was started). */
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

export async function main(argv: readonly string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('gamelan-harness')
    .command(upCommand)
    .command(downCommand)
    .command(topicsCommand)
    .command(doctorCommand)
    .command(runCommand)
    .command(listCommand)
    .command(contractCommand)
    .command(lagCommand)
    .command(resetOffsetsCommand)
    .command(dlqCommand)
    .command(tailCommand)
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
    process.exitCode = report(error);
  }
}

class UsageError extends Error {}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${pc.red('error:')} ${error.message}\nRun gamelan-harness --help for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof HarnessError) {
    process.stderr.write(`${pc.red(`error [${error.code}]:`)} ${error.message}\n`);
    const logTail = (error as { details?: { logFile?: string; logTail?: string } }).details;
    if (logTail?.logFile) process.stderr.write(`broker log: ${logTail.logFile}\n`);
    if (logTail?.logTail) process.stderr.write(`${pc.dim(logTail.logTail)}\n`);
    const badInput = error instanceof ConfigError || (error instanceof TopicError && error.code === 'REPLICATION_FACTOR_TOO_HIGH');
    return badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
  }
  process.stderr.write(`${pc.red('error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}

await main(hideBin(process.argv));
// A command that finished is done: leftover client sockets or timers must not keep the CLI alive
// (the lifecycle's exit hook still kills anything registered).
process.exit();

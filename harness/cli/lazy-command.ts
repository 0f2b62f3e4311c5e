import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

/** What a command module exports: how to read its options and what to do. Its name and summary live in the registry. */
export interface CommandBody<Args> {
  readonly builder?: (yargs: Argv) => Argv<Args> | PromiseLike<Argv<Args>>;
  readonly handler: (argv: ArgumentsCamelCase<Args>) => void | Promise<void>;
}

/** One line of `gamelan-harness --help`, and where the command's code is. */
export interface CommandEntry {
  /** yargs command string, e.g. `run [scenarios..]`. */
  readonly command: string;
  readonly describe: string;
  /** Imported only when this command is the one given: `--help` and other commands never pay for it. */
  // Each command has its own argument type; the registry holds them side by side.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly load: () => Promise<CommandBody<any>>;
}

/**
 * A yargs command whose module is imported when it is chosen. yargs awaits a builder that returns a
 * promise, so `up --brokers 0` loads `up`'s options (a light module) and nothing of the others.
 */
export function lazyCommand(entry: CommandEntry): CommandModule {
  let body: ReturnType<CommandEntry['load']> | undefined;
  const load = () => (body ??= entry.load());
  return {
    command: entry.command,
    describe: entry.describe,
    builder: async (yargs) => {
      const { builder } = await load();
      return (builder ? await builder(yargs) : yargs) as Argv;
    },
    handler: async (argv) => {
      const { handler } = await load();
      await (handler as (argv: unknown) => void | Promise<void>)(argv);
    },
  };
}

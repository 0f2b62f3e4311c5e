import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { checkOutputPaths } from '../output-paths.js';

// `gamelan-harness new scenario <name> [--dir scenarios]`: write a typed starter scenario that passes when run.
const KINDS = ['scenario'] as const;

interface NewArgs {
  kind: (typeof KINDS)[number];
  name: string;
  dir: string;
}

export const newCommand: CommandBody<NewArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('kind', { type: 'string', choices: KINDS, describe: 'What to create' })
      .positional('name', {
        type: 'string',
        describe: 'kebab-case name (a-z, 0-9, "-"): the file name and the scenario name',
      })
      .option('dir', {
        type: 'string',
        default: 'scenarios',
        describe: 'Directory to write into (created when missing)',
      })
      .example('$0 new scenario order-retries --dir my-scenarios', 'then: $0 run my-scenarios')
      .check((argv) => {
        // The name becomes a file name (with .ts, .scenario…): held well under the 255-byte limit of one.
        if (String(argv.name).length > 100)
          throw new Error(
            `<name> is ${String(argv.name).length} characters: a scenario name is at most 100 (it becomes the file name).`,
          );
        return checkOutputPaths(argv, { dir: 'directory' });
      }) as unknown as Argv<NewArgs>,
  handler: async (argv) => {
    const { writeScenarioStarter } = await import('../../scenario/starter.js');
    const { file, extensionReason } = writeScenarioStarter(String(argv.name), { dir: argv.dir });
    const shown = (await import('node:path')).relative(process.cwd(), file) || file;
    process.stdout.write(`wrote ${shown} (${extensionReason})\nplay it: gamelan-harness run ${shown}\n`);
  },
};

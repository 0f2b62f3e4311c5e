import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';

interface ListArgs {
  scenarios: string[];
  json: boolean;
  tag: string[];
  all: boolean;
}

export const listCommand: CommandBody<ListArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('scenarios', { type: 'string', array: true, default: [] })
      .option('json', { type: 'boolean', default: false })
      .option('tag', {
        type: 'string',
        array: true,
        default: [],
        describe: 'Also list every bundled scenario with this tag (slow, chaos)',
      })
      .option('all', {
        type: 'boolean',
        default: false,
        describe: 'List every bundled scenario (the default when nothing is named)',
      }) as unknown as Argv<ListArgs>,
  handler: async (argv) => {
    const { importScenarios } = await import('../../scenario/import-scenarios.js');
    // Nothing named: every bundled scenario, with its tags (those tagged slow or chaos are played by name, --tag or --all).
    const everything = argv.all || (argv.scenarios.length === 0 && argv.tag.length === 0);
    const scenarios = await importScenarios(argv.scenarios, { tags: argv.tag, all: everything });
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify(scenarios.map((s) => ({ name: s.definition.name, description: s.definition.description, file: s.file, tags: s.definition.tags ?? [], needs: s.definition.needs ?? {} })))}\n`,
      );
      return;
    }
    const { default: Table } = await import('cli-table3');
    const table = new Table({
      head: ['scenario', 'tags', 'description'],
      style: { head: [], border: [] },
      colWidths: [22, 8, 90],
      wordWrap: true,
    });
    for (const s of scenarios)
      table.push([s.definition.name, (s.definition.tags ?? []).join(', '), s.definition.description]);
    process.stdout.write(`${table.toString()}\n`);
  },
};

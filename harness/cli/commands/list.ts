import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';

interface ListArgs {
  scenarios: string[];
  json: boolean;
}

export const listCommand: CommandBody<ListArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('scenarios', { type: 'string', array: true, default: [] })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<ListArgs>,
  handler: async (argv) => {
    const [{ loadScenarios }, { default: Table }] = await Promise.all([import('../../scenario/load.js'), import('cli-table3')]);
    const scenarios = await loadScenarios(argv.scenarios);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(scenarios.map((s) => ({ name: s.definition.name, description: s.definition.description, file: s.file })))}\n`);
      return;
    }
    const table = new Table({ head: ['scenario', 'description'], style: { head: [], border: [] }, colWidths: [18, 90], wordWrap: true });
    for (const s of scenarios) table.push([s.definition.name, s.definition.description]);
    process.stdout.write(`${table.toString()}\n`);
  },
};

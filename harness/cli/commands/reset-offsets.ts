import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { ConfigError } from '../../errors.js';
import type { ResetTarget } from '../../topics/index.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';

interface ResetArgs extends ClusterArgs {
  group: string;
  topic: string;
  toEarliest: boolean;
  toLatest: boolean;
  toDatetime?: string | undefined;
}

export const resetOffsetsCommand: CommandBody<ResetArgs> = {
  builder: (yargs: Argv) =>
    withClusterOptions(yargs)
      .option('group', { type: 'string', demandOption: true })
      .option('topic', { type: 'string', demandOption: true })
      .option('to-earliest', { type: 'boolean', default: false })
      .option('to-latest', { type: 'boolean', default: false })
      .option('to-datetime', { type: 'string', describe: 'ISO-8601, e.g. 2026-11-27T10:00:00Z' })
      .check((argv) => {
        const chosen = [argv['to-earliest'], argv['to-latest'], argv['to-datetime'] !== undefined].filter(Boolean).length;
        if (chosen !== 1) throw new Error('Give exactly one of --to-earliest, --to-latest, --to-datetime <iso>.');
        return true;
      }) as unknown as Argv<ResetArgs>,
  handler: async (argv) => {
    let target: ResetTarget = { kind: argv.toLatest ? 'latest' : 'earliest' };
    if (argv.toDatetime !== undefined) {
      const at = new Date(argv.toDatetime);
      if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(argv.toDatetime)) {
        throw new ConfigError('CONFIG_INVALID_VALUE', `--to-datetime ${JSON.stringify(argv.toDatetime)} is not allowed: use an ISO-8601 date-time such as 2026-11-27T10:00:00Z.`, {
          key: 'to-datetime',
          value: argv.toDatetime,
        });
      }
      target = { kind: 'datetime', at };
    }
    const { resetOffsets } = await import('../../topics/index.js');
    await using cluster = await connectToCluster(argv, 'gamelan-harness-reset-offsets');
    const offsets = await resetOffsets(cluster.kafka, cluster.admin, argv.group, argv.topic, target);
    if (argv.json) process.stdout.write(`${JSON.stringify({ group: argv.group, topic: argv.topic, offsets })}\n`);
    else process.stdout.write(`${offsets.map((o) => `${argv.topic}-${o.partition} → ${o.offset}`).join('\n')}\nReset group ${argv.group}.\n`);
  },
};

import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { ConfigError } from '../../errors.js';
import type { ResetTarget } from '../../topics/index.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';

/** Names for a message: sorted, at most 20, or "none". */
function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const sorted = [...names].sort();
  return sorted.length > 20 ? `${sorted.slice(0, 20).join(', ')} and ${sorted.length - 20} more` : sorted.join(', ');
}

interface ResetArgs extends ClusterArgs {
  createGroup: boolean;
  group: string;
  topic: string;
  toEarliest: boolean;
  toLatest: boolean;
  toDatetime?: string | undefined;
  execute: boolean;
  dryRun: boolean;
}

export const resetOffsetsCommand: CommandBody<ResetArgs> = {
  builder: (yargs: Argv) =>
    withClusterOptions(yargs)
      .option('group', { type: 'string', demandOption: true })
      .option('topic', { type: 'string', demandOption: true })
      .option('to-earliest', { type: 'boolean', default: false })
      .option('to-latest', { type: 'boolean', default: false })
      .option('to-datetime', { type: 'string', describe: 'ISO-8601, e.g. 2026-11-27T10:00:00Z' })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print the plan (group, partition, current → new offset) and change nothing: the default',
      })
      .option('execute', {
        type: 'boolean',
        default: false,
        describe: 'Apply the plan (the group must be inactive), as kafka-consumer-groups --execute',
      })
      .option('create-group', {
        type: 'boolean',
        default: false,
        describe:
          '--execute on a group the cluster does not know: create it with these offsets (default: refused, a misspelt group is not made)',
      })
      .check((argv) => {
        for (const name of ['group', 'topic'] as const) {
          const value = argv[name];
          if (Array.isArray(value)) throw new Error(`--${name} is given ${value.length} times: give it once.`);
          if (String(value).trim() === '' || /[\0\n]/.test(String(value)))
            throw new Error(
              `--${name} ${JSON.stringify(value)} is not allowed: give a ${name === 'group' ? 'consumer group id' : 'topic name'} (not empty).`,
            );
        }
        if (argv.execute && argv['dry-run']) throw new Error('Give --dry-run or --execute, not both.');
        const chosen = [argv['to-earliest'], argv['to-latest'], argv['to-datetime'] !== undefined].filter(
          Boolean,
        ).length;
        if (chosen !== 1) throw new Error('Give exactly one of --to-earliest, --to-latest, --to-datetime <iso>.');
        return true;
      }) as unknown as Argv<ResetArgs>,
  handler: async (argv) => {
    let target: ResetTarget = { kind: argv.toLatest ? 'latest' : 'earliest' };
    if (argv.toDatetime !== undefined) {
      const at = new Date(argv.toDatetime);
      if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(argv.toDatetime)) {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          `--to-datetime ${JSON.stringify(argv.toDatetime)} is not allowed: use an ISO-8601 date-time such as 2026-11-27T10:00:00Z.`,
          {
            key: 'to-datetime',
            value: argv.toDatetime,
          },
        );
      }
      target = { kind: 'datetime', at };
    }
    const { applyOffsetReset, groupIsInactive, planOffsetReset } = await import('../../topics/index.js');
    await using cluster = await connectToCluster(argv, 'gamelan-harness-reset-offsets');
    // Named things must exist: an unknown topic answered "This server does not host this topic-partition", and
    // --execute on a misspelt group created that group.
    const topics = await cluster.admin.listTopics();
    if (!topics.includes(argv.topic)) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `--topic ${JSON.stringify(argv.topic)} does not exist on ${cluster.brokers.join(',')}; its topics are ${listed(topics.filter((t) => !t.startsWith('__')))}.`,
        { key: '--topic', value: argv.topic },
      );
    }
    if (argv.execute && !argv.createGroup) {
      const { groups } = await cluster.admin.listGroups();
      const ids = groups.map((g) => g.groupId);
      if (!ids.includes(argv.group)) {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          `--group ${JSON.stringify(argv.group)} does not exist on ${cluster.brokers.join(',')}, and --execute would create it; nothing was changed. Its groups are ${listed(ids)}. Check the name, or add --create-group to make it with these offsets.`,
          { key: '--group', value: argv.group },
        );
      }
    }
    // As kafka-consumer-groups: show the plan unless --execute is given.
    const plan = await planOffsetReset(cluster.admin, argv.group, argv.topic, target);
    if (argv.execute) await applyOffsetReset(cluster.kafka, cluster.admin, plan);
    const offsets = plan.partitions.map((p) => ({ partition: p.partition, offset: p.target }));
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify({ group: argv.group, topic: argv.topic, executed: argv.execute, state: plan.state, plan: plan.partitions, offsets })}\n`,
      );
      return;
    }
    const { default: Table } = await import('cli-table3');
    const table = new Table({
      head: ['group', 'topic', 'partition', 'current offset', 'new offset'],
      style: { head: [], border: [] },
    });
    for (const p of plan.partitions) table.push([argv.group, argv.topic, p.partition, p.current ?? '-', p.target]);
    process.stdout.write(`${table.toString()}\n`);
    if (argv.execute) process.stdout.write(`Reset group ${argv.group} on ${argv.topic}.\n`);
    else {
      const refused = groupIsInactive(plan)
        ? ''
        : ` (the group is ${plan.state}: stop its consumers first, --execute refuses an active group)`;
      process.stdout.write(`Dry run: nothing changed. Add --execute to apply${refused}.\n`);
    }
  },
};

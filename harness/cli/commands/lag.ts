import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';
import { type DialectArgs, withDialectOptions } from '../dialect-options.js';
import { TOPIC_ROLES } from '../../vocabulary.js';

interface LagArgs extends Omit<ClusterArgs, 'dialect' | 'profile'>, DialectArgs {
  group: string;
  topic?: string[] | undefined;
}

export const lagCommand: CommandBody<LagArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withClusterOptions(yargs))
      .option('group', { type: 'string', demandOption: true, describe: 'Consumer group id, e.g. gamelan-executors' })
      .option('topic', {
        type: 'string',
        array: true,
        describe:
          "Topics, by name or role (tasks, results, events, status, dlq: the dialect's or --config's name); default: every topic the group committed on",
      }) as unknown as Argv<LagArgs>,
  handler: async (argv) => {
    const [{ consumerLag, totalLag }, { default: Table }, { topicNames }] = await Promise.all([
      import('../../topics/index.js'),
      import('cli-table3'),
      import('../../config/index.js'),
    ]);
    await using cluster = await connectToCluster(argv, 'gamelan-harness-lag');
    const names = topicNames(cluster.config);
    const byRole = (topic: string) =>
      (TOPIC_ROLES as readonly string[]).includes(topic) ? names[topic as keyof typeof names] : topic;
    const topics = argv.topic?.length
      ? argv.topic.map(byRole)
      : (await cluster.admin.fetchOffsets({ groupId: argv.group })).map((t) => t.topic);
    const lags = await consumerLag(cluster.admin, argv.group, topics);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ group: argv.group, total: totalLag(lags), partitions: lags })}\n`);
      return;
    }
    if (lags.length === 0) {
      process.stdout.write(
        `Group ${argv.group} has committed no offsets${argv.topic ? ` on ${topics.join(', ')}` : ''}.\n`,
      );
      return;
    }
    const table = new Table({
      head: ['topic', 'partition', 'committed', 'end', 'lag', 'owner'],
      style: { head: [], border: [] },
    });
    for (const l of lags) table.push([l.topic, l.partition, l.committed ?? '-', l.end, l.lag, l.owner ?? '-']);
    process.stdout.write(`${table.toString()}\ntotal lag: ${totalLag(lags)}\n`);
  },
};

import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';

interface LagArgs extends ClusterArgs {
  group: string;
  topic?: string[] | undefined;
}

export const lagCommand: CommandBody<LagArgs> = {
  builder: (yargs: Argv) =>
    withClusterOptions(yargs)
      .option('group', { type: 'string', demandOption: true, describe: 'Consumer group id, e.g. gamelan-executors' })
      .option('topic', { type: 'string', array: true, describe: 'Topics (default: every topic the group committed on)' }) as unknown as Argv<LagArgs>,
  handler: async (argv) => {
    const [{ consumerLag, totalLag }, { default: Table }] = await Promise.all([import('../../topics/index.js'), import('cli-table3')]);
    await using cluster = await connectToCluster(argv, 'gamelan-harness-lag');
    const topics = argv.topic?.length ? argv.topic : (await cluster.admin.fetchOffsets({ groupId: argv.group })).map((t) => t.topic);
    const lags = await consumerLag(cluster.admin, argv.group, topics);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ group: argv.group, total: totalLag(lags), partitions: lags })}\n`);
      return;
    }
    if (lags.length === 0) {
      process.stdout.write(`Group ${argv.group} has committed no offsets${argv.topic ? ` on ${argv.topic.join(', ')}` : ''}.\n`);
      return;
    }
    const table = new Table({ head: ['topic', 'partition', 'committed', 'end', 'lag', 'owner'], style: { head: [], border: [] } });
    for (const l of lags) table.push([l.topic, l.partition, l.committed ?? '-', l.end, l.lag, l.owner ?? '-']);
    process.stdout.write(`${table.toString()}\ntotal lag: ${totalLag(lags)}\n`);
  },
};

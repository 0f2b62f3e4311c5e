import type { Argv, CommandModule } from 'yargs';
import { TOPIC_ROLES, topicNames } from '../../config/index.js';
import { renderTopicTable } from '../../report/topic-table.js';
import { describeTopics } from '../../topics/index.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';

export const topicsCommand: CommandModule<object, ClusterArgs> = {
  command: 'topics',
  describe: 'Describe the live Gamelan topics: partitions, leaders, replicas, retention',
  builder: (yargs: Argv) => withClusterOptions(yargs) as unknown as Argv<ClusterArgs>,
  handler: async (argv) => {
    await using cluster = await connectToCluster(argv, 'gamelan-harness-topics');
    const names = topicNames(cluster.config);
    const existing = new Set(await cluster.admin.listTopics());
    const present = TOPIC_ROLES.map((r) => names[r]).filter((n) => existing.has(n));
    const missing = TOPIC_ROLES.map((r) => names[r]).filter((n) => !existing.has(n));
    const topics = await describeTopics(cluster.admin, present);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ bootstrapServers: cluster.brokers, topics, missing })}\n`);
    } else {
      process.stdout.write(`${renderTopicTable(topics)}\n`);
      if (missing.length) process.stdout.write(`missing: ${missing.join(', ')} (run \`gamelan-harness up\` to create them)\n`);
    }
    if (missing.length) process.exitCode = 1;
  },
};

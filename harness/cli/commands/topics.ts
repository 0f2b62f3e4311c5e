import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';
import { type DialectArgs, withDialectOptions } from '../dialect-options.js';
import { TOPIC_ROLES } from '../../vocabulary.js';

export const topicsCommand: CommandBody<ClusterArgs & DialectArgs> = {
  builder: (yargs: Argv) => withDialectOptions(withClusterOptions(yargs)) as unknown as Argv<ClusterArgs & DialectArgs>,
  handler: async (argv) => {
    const [{ topicNames }, { renderTopicTable }, { describeTopics }] = await Promise.all([
      import('../../config/index.js'),
      import('../../report/topic-table.js'),
      import('../../topics/index.js'),
    ]);
    await using cluster = await connectToCluster(argv, 'gamelan-harness-topics');
    const names = topicNames(cluster.config);
    const existing = new Set(await cluster.admin.listTopics());
    const present = TOPIC_ROLES.map((r) => names[r]).filter((n) => existing.has(n));
    const missing = TOPIC_ROLES.map((r) => names[r]).filter((n) => !existing.has(n));
    const topics = await describeTopics(cluster.admin, present);
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify({ bootstrapServers: cluster.brokers, dialect: cluster.dialect, topics, missing })}\n`,
      );
    } else {
      process.stdout.write(`${renderTopicTable(topics)}\n`);
      if (missing.length)
        process.stdout.write(
          `missing: ${missing.join(', ')} (run \`gamelan-harness up${argv.dialect === 'spec' ? '' : ` --dialect ${argv.dialect}`}\` to create them)\n`,
        );
    }
    if (missing.length) process.exitCode = 1;
  },
};

import { Kafka, logLevel } from 'kafkajs';
import type { Argv, CommandModule } from 'yargs';
import { loadConfig, TOPIC_ROLES, topicNames } from '../../config/index.js';
import { renderTopicTable } from '../../report/topic-table.js';
import { describeTopics } from '../../topics/index.js';
import { runningBootstrapServers, stateFilePath } from '../state.js';

interface TopicsArgs {
  bootstrapServers?: string | undefined;
  stateFile?: string | undefined;
  config?: string | undefined;
  json: boolean;
}

export const topicsCommand: CommandModule<object, TopicsArgs> = {
  command: 'topics',
  describe: 'Describe the live Gamelan topics: partitions, leaders, replicas, retention',
  builder: (yargs: Argv) =>
    yargs
      .option('bootstrap-servers', { type: 'string', describe: 'host:port[,…] (default: the harness from `up`)' })
      .option('state-file', { type: 'string', describe: 'State file written by `up`' })
      .option('config', { type: 'string', describe: 'Gamelan configuration naming the topics' })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<TopicsArgs>,
  handler: async (argv) => {
    const brokers = runningBootstrapServers(argv.bootstrapServers, stateFilePath(argv.stateFile));
    const names = topicNames(loadConfig(argv.config).gamelan);
    const admin = new Kafka({ brokers, clientId: 'gamelan-harness-topics', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const present = TOPIC_ROLES.map((r) => names[r]).filter((n) => existing.has(n));
      const missing = TOPIC_ROLES.map((r) => names[r]).filter((n) => !existing.has(n));
      const topics = await describeTopics(admin, present);
      if (argv.json) {
        process.stdout.write(`${JSON.stringify({ bootstrapServers: brokers, topics, missing })}\n`);
      } else {
        process.stdout.write(`${renderTopicTable(topics)}\n`);
        if (missing.length) process.stdout.write(`missing: ${missing.join(', ')} (run \`gamelan-harness up\` to create them)\n`);
      }
      if (missing.length) process.exitCode = 1;
    } finally {
      await admin.disconnect();
    }
  },
};

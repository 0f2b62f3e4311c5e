import pc from 'picocolors';
import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import type { TopicRole } from '../../config/index.js';
import { ConfigError } from '../../errors.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';

interface TailArgs extends ClusterArgs {
  topic: string;
  follow: boolean;
  fromBeginning: boolean;
  max?: number | undefined;
}

export const tailCommand: CommandBody<TailArgs> = {
  builder: (yargs: Argv) =>
    withClusterOptions(yargs)
      .positional('topic', { type: 'string', demandOption: true })
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Keep printing new records until Ctrl-C' })
      .option('from-beginning', { type: 'boolean', default: true, describe: 'Start at the earliest record (--no-from-beginning: new ones only)' })
      .option('max', { type: 'number', describe: 'Stop after this many records' }) as unknown as Argv<TailArgs>,
  handler: async (argv) => {
    const [{ TOPIC_ROLES, topicNames }, { decodeForRecorder }, { readTopic }] = await Promise.all([
      import('../../config/index.js'),
      import('../../recorder/decode.js'),
      import('../../topics/read-topic.js'),
    ]);
    await using cluster = await connectToCluster(argv, 'gamelan-harness-tail');
    const names = topicNames(cluster.config);
    const role = (TOPIC_ROLES as readonly string[]).includes(argv.topic) ? (argv.topic as TopicRole) : TOPIC_ROLES.find((r) => names[r] === argv.topic);
    if (!role) {
      throw new ConfigError('CONFIG_INVALID_VALUE', `topic ${JSON.stringify(argv.topic)} is not a Gamelan topic: use a role (${TOPIC_ROLES.join(', ')}) or a name (${Object.values(names).join(', ')}).`, {
        key: 'topic',
        value: argv.topic,
      });
    }
    const topic = names[role];
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    const count = await readTopic(
      cluster.kafka,
      cluster.admin,
      topic,
      ({ partition, message }) => {
        const decoded = decodeForRecorder(role, { key: message.key, value: message.value, headers: message.headers ?? {}, timestamp: message.timestamp });
        const key = message.key?.toString('utf8') ?? null;
        if (argv.json) {
          process.stdout.write(`${JSON.stringify({ topic, partition, offset: message.offset, key, timestamp: Number(message.timestamp), ...(decoded.ok ? { value: decoded.value } : { error: decoded.reason, raw: message.value?.toString('utf8') ?? null }) })}\n`);
          return;
        }
        const where = pc.dim(`${topic}-${partition}@${message.offset} key ${key ?? '(none)'}`);
        process.stdout.write(`${where} ${decoded.ok ? JSON.stringify(decoded.value) : pc.red(`INVALID ${decoded.reason}: ${message.value?.toString('utf8') ?? 'null'}`)}\n`);
      },
      { fromBeginning: argv.fromBeginning, follow: argv.follow, signal: abort.signal, ...(argv.max === undefined ? {} : { max: argv.max }) },
    );
    if (!argv.json && !argv.follow) process.stderr.write(`${count} record(s)\n`);
  },
};

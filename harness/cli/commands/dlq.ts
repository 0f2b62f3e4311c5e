import pc from 'picocolors';
import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import type { DeadLetterMessage } from '../../protocol/index.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';

interface DlqArgs extends ClusterArgs {
  max?: number | undefined;
}

export const dlqCommand: CommandBody<DlqArgs> = {
  builder: (yargs: Argv) => withClusterOptions(yargs).option('max', { type: 'number', describe: 'Show at most this many' }) as unknown as Argv<DlqArgs>,
  handler: async (argv) => {
    const [{ topicNames }, { decodeForRecorder }, { readTopic }] = await Promise.all([
      import('../../config/index.js'),
      import('../../recorder/decode.js'),
      import('../../topics/read-topic.js'),
    ]);
    await using cluster = await connectToCluster(argv, 'gamelan-harness-dlq');
    const topic = topicNames(cluster.config).dlq;
    const count = await readTopic(
      cluster.kafka,
      cluster.admin,
      topic,
      ({ partition, message }) => {
        const decoded = decodeForRecorder('dlq', { key: message.key, value: message.value, headers: message.headers ?? {}, timestamp: message.timestamp });
        const letter = decoded.ok ? (decoded.value as DeadLetterMessage) : undefined;
        if (argv.json) {
          process.stdout.write(`${JSON.stringify({ partition, offset: message.offset, ...(letter ?? { error: decoded.ok ? undefined : decoded.reason }) })}\n`);
          return;
        }
        if (!letter) {
          process.stdout.write(`${pc.red(`${topic}-${partition}@${message.offset}`)} unreadable dead letter: ${decoded.ok ? '' : decoded.reason}\n`);
          return;
        }
        const origin = `${letter.originalTopic}-${letter.originalPartition ?? '?'}@${letter.originalOffset ?? '?'} key ${letter.originalKey ?? '(none)'}`;
        process.stdout.write(`${pc.bold(origin)}  ${pc.yellow(letter.reason)} (${letter.errorClass}${letter.consumerGroup ? `, group ${letter.consumerGroup}` : ''})\n`);
        process.stdout.write(`  cause: ${letter.cause}${letter.errorPath ? ` at ${letter.errorPath}` : ''}\n`);
        process.stdout.write(`  payload: ${(letter.payload ?? 'null').slice(0, 500)}\n`);
      },
      argv.max === undefined ? {} : { max: argv.max },
    );
    if (!argv.json) process.stdout.write(`${count} dead letter(s) in ${topic}\n`);
  },
};

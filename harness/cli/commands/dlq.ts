import { stdoutColors as pc } from '../../colors.js';
import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import type { DeadLetterMessage } from '../../protocol/index.js';
import type { ReadDialect } from '../../vocabulary.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';
import { withDialectOptions } from '../dialect-options.js';
import { restartWarning } from '../read-restart.js';
import { checkNumbers } from '../validate.js';

interface DlqArgs extends ClusterArgs {
  max?: number | undefined;
  dialect: ReadDialect;
  profile: string;
}

export const dlqCommand: CommandBody<DlqArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withClusterOptions(yargs), {
      reads: true,
      describe:
        'spec: Spring kafka_dlt-* headers (and the harness JSON); upstream: the Java DeadLetterMessage JSON and SmallRye dead-letter-* headers; auto: any of them',
    })
      .option('max', { type: 'number', describe: 'Show at most this many' })
      .check((argv) => checkNumbers(argv, { max: { min: 1 } })) as unknown as Argv<DlqArgs>,
  handler: async (argv) => {
    const [{ topicNames }, { readRecordIn, describeReadFailure }, { readTopic }] = await Promise.all([
      import('../../config/index.js'),
      import('../../protocol/dialects/read.js'),
      import('../../topics/read-topic.js'),
    ]);
    const { decodeForRecorder } = await import('../../recorder/decode.js');
    await using cluster = await connectToCluster(argv, 'gamelan-harness-dlq');
    const topic = topicNames(cluster.config).dlq;
    const annotate = argv.dialect !== 'spec';
    const count = await readTopic(
      cluster.kafka,
      cluster.admin,
      topic,
      ({ partition, message }) => {
        const raw = {
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
          timestamp: message.timestamp,
        };
        const read = readRecordIn('dlq', raw, argv.dialect);
        // The spec dialect words a failure as it always did.
        const failure = () => {
          if (read.ok) return '';
          const spec = argv.dialect === 'spec' ? decodeForRecorder('dlq', raw) : undefined;
          return spec && !spec.ok ? spec.reason : describeReadFailure(read);
        };
        const letter: DeadLetterMessage | undefined = read.ok ? read.record.message : undefined;
        if (argv.json) {
          const notes = read.ok && annotate ? { dialect: read.record.dialect, mapped: read.record.mapped } : {};
          process.stdout.write(
            `${JSON.stringify({ partition, offset: message.offset, ...(letter ? { ...letter, ...notes } : { error: failure() }) })}\n`,
          );
          return;
        }
        if (!read.ok || !letter) {
          process.stdout.write(
            `${pc.red(`${topic}-${partition}@${message.offset}`)} unreadable dead letter: ${read.ok ? '' : failure()}\n`,
          );
          return;
        }
        if (annotate)
          process.stdout.write(
            pc.cyan(
              `[${read.record.dialect}${
                read.record.mapped.some((n) => n.lossy)
                  ? `; not carried: ${read.record.mapped
                      .filter((n) => n.lossy)
                      .map((n) => n.field)
                      .join(', ')}`
                  : ''
              }] `,
            ),
          );
        const origin = `${letter.originalTopic}-${letter.originalPartition ?? '?'}@${letter.originalOffset ?? '?'} key ${letter.originalKey ?? '(none)'}`;
        process.stdout.write(
          `${pc.bold(origin)}  ${pc.yellow(letter.reason)} (${letter.errorClass}${letter.consumerGroup ? `, group ${letter.consumerGroup}` : ''})\n`,
        );
        process.stdout.write(`  cause: ${letter.cause}${letter.errorPath ? ` at ${letter.errorPath}` : ''}\n`);
        process.stdout.write(`  payload: ${(letter.payload ?? 'null').slice(0, 500)}\n`);
      },
      { onRestart: restartWarning(topic), ...(argv.max === undefined ? {} : { max: argv.max }) },
    );
    if (!argv.json) process.stdout.write(`${count} dead letter(s) in ${topic}\n`);
  },
};

import { stdoutColors as pc } from '../../colors.js';
import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import type { TopicRole } from '../../vocabulary.js';
import { ConfigError } from '../../errors.js';
import type { ReadDialect } from '../../vocabulary.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';
import { withDialectOptions } from '../dialect-options.js';
import { restartWarning } from '../read-restart.js';
import { checkNumbers } from '../validate.js';
import { TOPIC_ROLES } from '../../vocabulary.js';

interface TailArgs extends ClusterArgs {
  topic: string;
  dialect: ReadDialect;
  profile: string;
  follow: boolean;
  fromBeginning: boolean;
  max?: number | undefined;
  runId?: string | undefined;
  tenant?: string | undefined;
  type?: string[] | undefined;
  headers: boolean;
}

export const tailCommand: CommandBody<TailArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withClusterOptions(yargs), { reads: true })
      .positional('topic', { type: 'string', demandOption: true })
      .option('follow', {
        alias: 'f',
        type: 'boolean',
        default: false,
        describe: 'Keep printing new records until Ctrl-C',
      })
      .option('from-beginning', {
        type: 'boolean',
        default: true,
        describe: 'Start at the earliest record (--no-from-beginning: new ones only)',
      })
      .option('max', { type: 'number', describe: 'Stop after this many records (printed ones, with filters)' })
      .option('run-id', { type: 'string', describe: "Only this run's records (its runId, else the record key)" })
      .option('tenant', {
        type: 'string',
        describe: "Only this tenant's records (tenantId; status updates are keyed by it)",
      })
      .option('type', {
        type: 'string',
        array: true,
        describe:
          "Only these types (comma-separated or repeated): a message type, an event type (NODE_COMPLETED), a dead letter's original type or reason",
      })
      .option('headers', { type: 'boolean', default: false, describe: "Print each record's headers too" })
      .check((argv) => checkNumbers(argv, { max: { min: 1 } })) as unknown as Argv<TailArgs>,
  handler: async (argv) => {
    const [{ topicNames }, { readRecordIn, describeReadFailure }, { readTopic }] = await Promise.all([
      import('../../config/index.js'),
      import('../../protocol/dialects/read.js'),
      import('../../topics/read-topic.js'),
    ]);
    const { decodeForRecorder } = await import('../../recorder/decode.js');
    await using cluster = await connectToCluster(argv, 'gamelan-harness-tail');
    const names = topicNames(cluster.config);
    const role = (TOPIC_ROLES as readonly string[]).includes(argv.topic)
      ? (argv.topic as TopicRole)
      : TOPIC_ROLES.find((r) => names[r] === argv.topic);
    if (!role) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `topic ${JSON.stringify(argv.topic)} is not a Gamelan topic: use a role (${TOPIC_ROLES.join(', ')}) or a name (${Object.values(names).join(', ')}).`,
        {
          key: 'topic',
          value: argv.topic,
        },
      );
    }
    const topic = names[role];
    const { tailFilter, headersLine } = await import('../tail-filter.js');
    const { headersToText } = await import('../../protocol/index.js');
    const keep = tailFilter(argv);
    let printed = 0;
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
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
        const read = readRecordIn(role, raw, argv.dialect);
        // The spec dialect words a failure as it always did.
        const failure = () => {
          if (read.ok) return '';
          const spec = argv.dialect === 'spec' ? decodeForRecorder(role, raw) : undefined;
          return spec && !spec.ok ? spec.reason : describeReadFailure(read);
        };
        const key = message.key?.toString('utf8') ?? null;
        const headers = headersToText(message.headers);
        if (keep && !keep({ role, key, headers, value: read.ok ? read.record.message : undefined })) return;
        if (keep && argv.max !== undefined && printed >= argv.max) return;
        printed += 1;
        if (keep && argv.max !== undefined && printed >= argv.max) abort.abort(); // --max counts printed records
        // The spec dialect prints what it always printed; other dialects say which dialect read each record and what was mapped.
        const annotate = argv.dialect !== 'spec';
        if (argv.json) {
          const body = read.ok
            ? {
                value: read.record.message,
                ...(annotate || read.record.mapped.length
                  ? { dialect: read.record.dialect, mapped: read.record.mapped }
                  : {}),
                ...(read.record.deviations.length ? { deviations: read.record.deviations } : {}),
              }
            : {
                error: failure(),
                ...(annotate ? { dialect: read.dialect, reasons: read.reasons } : {}),
                raw: message.value?.toString('utf8') ?? null,
              };
          process.stdout.write(
            `${JSON.stringify({ topic, partition, offset: message.offset, key, timestamp: Number(message.timestamp), ...(argv.headers ? { headers } : {}), ...body })}\n`,
          );
          return;
        }
        const where = pc.dim(`${topic}-${partition}@${message.offset} key ${key ?? '(none)'}`);
        const headerLine = argv.headers ? `\n${pc.dim(headersLine(headers))}` : '';
        if (!read.ok) {
          process.stdout.write(
            `${where} ${pc.red(`INVALID${annotate ? ` (${read.dialect})` : ''} ${failure()}: ${message.value?.toString('utf8') ?? 'null'}`)}${headerLine}\n`,
          );
          return;
        }
        const notes = read.record.mapped.map(
          (n) =>
            `${n.field}${n.from !== undefined && n.to !== undefined ? ` ${JSON.stringify(n.from)}→${JSON.stringify(n.to)}` : ''}${n.lossy ? ' (lossy)' : ''}`,
        );
        const label =
          annotate || notes.length
            ? pc.cyan(` [${read.record.dialect}${notes.length ? `: ${notes.join(', ')}` : ''}]`)
            : '';
        process.stdout.write(`${where} ${JSON.stringify(read.record.message)}${label}${headerLine}\n`);
      },
      {
        fromBeginning: argv.fromBeginning,
        follow: argv.follow,
        signal: abort.signal,
        onRestart: restartWarning(topic),
        ...(argv.max === undefined || keep ? {} : { max: argv.max }),
      },
    );
    if (!argv.json && !argv.follow)
      process.stderr.write(keep ? `${printed} of ${count} record(s) matched\n` : `${count} record(s)\n`);
  },
};

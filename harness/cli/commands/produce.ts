import { stdoutColors as pc } from '../../colors.js';
import type { Argv } from 'yargs';
import { roleForName, type TopicRole } from '../../vocabulary.js';
import { ConfigError } from '../../errors.js';
import type { CommandBody } from '../lazy-command.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';
import { checkNumbers } from '../validate.js';

interface ProduceArgs extends ClusterArgs {
  type: string;
  value?: string | undefined;
  file?: string | undefined;
  build: boolean;
  seed: number;
  count: number;
  header?: string[] | undefined;
  traceparent?: string | undefined;
}

// Keyed, with the protocol's headers, by the protocol's producers (Java-compatible partitioner, the
// config's acks and compression): a record `produce` sends is one the engine and executors accept.

export const produceCommand: CommandBody<ProduceArgs> = {
  builder: (yargs: Argv) =>
    withClusterOptions(yargs)
      .positional('type', {
        type: 'string',
        demandOption: true,
        describe: 'tasks, results, events, status, dlq, or the message type (TaskMessage…)',
      })
      .option('value', { type: 'string', describe: 'The message as JSON (or, with --build, fields to override)' })
      .option('file', { type: 'string', describe: 'A file of JSON: one message, an array, or JSON lines ("-": stdin)' })
      .option('build', {
        type: 'boolean',
        default: false,
        describe: 'Build valid messages with the seeded faker builders (fixtures/builders); --value overrides fields',
      })
      .option('seed', {
        type: 'number',
        default: 1,
        describe: 'Seed of the first built message (the next ones take seed+1…)',
      })
      .option('count', { type: 'number', default: 1, describe: 'How many messages to build (with --build)' })
      .option('header', {
        type: 'string',
        array: true,
        describe: 'An extra header name=value (repeatable; the protocol headers win on a clash)',
      })
      .option('traceparent', { type: 'string', describe: 'W3C traceparent to send (default: a new trace per message)' })
      .check((argv) => {
        checkNumbers(argv, { seed: { min: 0 }, count: { min: 1, max: 100_000 } });
        if (argv.value !== undefined && argv.file !== undefined) throw new Error('Give --value or --file, not both.');
        if (argv.file !== undefined && argv.build)
          throw new Error('--build makes the messages: give --value to override fields, not --file.');
        if (argv.count !== 1 && !argv.build)
          throw new Error('--count needs --build (JSON input sends each message it holds).');
        return true;
      }) as unknown as Argv<ProduceArgs>,
  handler: async (argv) => {
    // The name is checked before the protocol (zod) loads: a wrong one answers at once.
    const role = roleForName(argv.type);
    if (!role) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `${JSON.stringify(argv.type)} is not a Gamelan message: use a topic role (tasks, results, events, status, dlq) or a message type (TaskMessage, TaskResultMessage, WorkflowEventMessage, StatusUpdateMessage, DeadLetterMessage).`,
        {
          key: 'type',
          value: argv.type,
        },
      );
    }
    const input = await import('../produce-input.js');
    const headers = input.parseHeaders(argv.header ?? []);
    input.checkTraceparent(argv.traceparent);
    if (role === 'dlq' && (Object.keys(headers).length > 0 || argv.traceparent !== undefined)) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        "A dead letter carries the original record's key and the kafka_dlt-* headers the protocol defines: --header and --traceparent are not used for dlq.",
        { key: 'header' },
      );
    }
    // Fields the protocol writes that the input left out (a `null`) are said, so nothing changes without a word.
    const said = (where: string, fields: readonly string[]) =>
      process.stderr.write(
        `${where}: the protocol also writes ${fields.join(', ')} (left out of the input; sent as its default).\n`,
      );
    const messages = argv.build
      ? await built(role, argv)
      : input.validateMessages(role, await readInput(argv), inputName(argv), said);

    // Only now, with every message valid, reach the cluster.
    await using cluster = await connectToCluster(argv, 'gamelan-harness-produce');
    const { send, stop } = await producerFor(role, cluster.kafka, cluster.config);
    const { ROLE_MESSAGE_TYPES } = await import('../../protocol/index.js');
    try {
      for (const message of messages) {
        const sent = await send(message, { headers, traceparent: argv.traceparent });
        if (argv.json)
          process.stdout.write(`${JSON.stringify({ ...sent, type: ROLE_MESSAGE_TYPES[role], message })}\n`);
        else
          process.stdout.write(
            `${pc.dim(`${sent.topic}-${sent.partition}@${sent.offset} key ${sent.key ?? '(none)'}`)} ${ROLE_MESSAGE_TYPES[role]}\n`,
          );
      }
    } finally {
      await stop();
    }
    if (!argv.json) process.stderr.write(`${messages.length} message(s) sent\n`);
  },
};

function inputName(argv: ProduceArgs): string {
  if (argv.value !== undefined) return '--value';
  return argv.file !== undefined && argv.file !== '-' ? argv.file : 'stdin';
}

async function readInput(argv: ProduceArgs): Promise<unknown[]> {
  const { parseJsonInput } = await import('../produce-input.js');
  if (argv.value !== undefined) return parseJsonInput(argv.value, '--value');
  if (argv.file !== undefined && argv.file !== '-') {
    const { readTextFileBounded } = await import('../../config/read-bounded.js');
    return parseJsonInput(readTextFileBounded(argv.file, { what: `--file ${argv.file}` }), argv.file);
  }
  if (process.stdin.isTTY) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      'Nothing to send: give --value <json>, --file <path>, --build, or pipe JSON on stdin.',
      { key: 'value' },
    );
  }
  const { MAX_INPUT_FILE_BYTES, stripBom } = await import('../../config/read-bounded.js');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    // Bounded like a file: `cat /dev/zero | produce tasks` must end, not grow memory for ever.
    if (text.length > MAX_INPUT_FILE_BYTES)
      throw new ConfigError(
        'CONFIG_PARSE_FAILED',
        `stdin holds more than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MiB; send at most that per produce (or use --file in parts).`,
        { key: 'stdin' },
      );
  }
  return parseJsonInput(stripBom(text), 'stdin');
}

/** `count` messages from the seeded builders, seeds seed…seed+count-1, with --value's fields over them. */
async function built(role: TopicRole, argv: ProduceArgs): Promise<unknown[]> {
  const [builders, { checkBuilt, parseJsonInput }] = await Promise.all([
    import('../../../fixtures/builders/index.js'),
    import('../produce-input.js'),
  ]);
  const overrides = argv.value === undefined ? {} : parseJsonInput(argv.value, '--value')[0];
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      '--value with --build is one JSON object of fields to override, e.g. --value \'{"runId":"run-1"}\'.',
      { key: 'value', value: overrides },
    );
  }
  const build = {
    tasks: builders.buildTask,
    results: builders.buildTaskResult,
    events: builders.buildWorkflowEvent,
    status: builders.buildStatusUpdate,
    dlq: builders.buildDeadLetter,
  }[role] as (overrides: object, options: { seed: number }) => never;
  return Array.from({ length: argv.count }, (_, i) =>
    checkBuilt(
      role,
      build(overrides, { seed: argv.seed + i }),
      argv.value === undefined ? '--build' : '--build with --value',
      argv.value === undefined ? undefined : overrides,
    ),
  );
}

interface RoleProducer {
  send(
    message: unknown,
    options: { headers: Record<string, string>; traceparent?: string | undefined },
  ): Promise<{ topic: string; partition: number; offset: string; key: string | null; traceparent?: string }>;
  stop(): Promise<void>;
}

async function producerFor(
  role: TopicRole,
  kafka: import('../../clients/client-api.js').KafkaClient,
  config: import('../../config/index.js').GamelanKafkaConfig,
): Promise<RoleProducer> {
  const clients = await import('../../clients/index.js');
  const options = { kafka, config };
  if (role === 'dlq') {
    const publisher = await clients.DeadLetterPublisher.connect(options);
    return { send: (m) => publisher.publish(m as never), stop: () => publisher.stop() };
  }
  const producer = await {
    tasks: () => clients.TaskProducer.connect(options),
    results: () => clients.ResultProducer.connect(options),
    events: () => clients.EventPublisher.connect(options),
    status: () => clients.StatusPublisher.connect(options),
  }[role]();
  return { send: (m, o) => producer.send(m as never, o), stop: () => producer.stop() };
}

import type { Argv } from 'yargs';
import type { DialectName } from '../../vocabulary.js';
import { type ClusterArgs, connectToCluster, withClusterOptions } from '../connection.js';
import { withDialectOptions } from '../dialect-options.js';
import type { CommandBody } from '../lazy-command.js';

interface ConformanceArgs extends ClusterArgs {
  dialect: DialectName;
  since?: string | undefined;
  allowEmpty: boolean;
  profile: string;
}

export const conformanceCommand: CommandBody<ConformanceArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withClusterOptions(yargs), {
      describe:
        'The dialect every record must conform to (spec: the protocol README; upstream: the Gamelan Java code); topic names default to its',
    })
      .option('since', {
        type: 'string',
        describe:
          'Only records at or after this ISO-8601 instant, or this long ago (15m, 2h, 1d); default: from the beginning',
      })
      .option('allow-empty', {
        type: 'boolean',
        default: false,
        describe: 'Reading no record is a pass (an intentionally empty cluster); without it, "nothing checked" exits 1',
      }) as unknown as Argv<ConformanceArgs>,
  handler: async (argv) => {
    const [{ topicNames }, { checkConformance, parseSince, renderConformance }] = await Promise.all([
      import('../../config/index.js'),
      import('../../conformance/index.js'),
    ]);
    // Bad input first (exit 2, nothing read): --since, then the topics (from --config, else the dialect's names).
    const since = argv.since === undefined ? undefined : parseSince(argv.since);
    await using cluster = await connectToCluster(argv, 'gamelan-harness-conformance');
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    const report = await checkConformance({
      kafka: cluster.kafka,
      admin: cluster.admin,
      bootstrapServers: cluster.brokers,
      topics: topicNames(cluster.config),
      dialect: argv.dialect,
      since,
      allowEmpty: argv.allowEmpty,
      signal: abort.signal,
    });
    process.stdout.write(argv.json ? `${JSON.stringify(report, null, 2)}\n` : renderConformance(report));
    if (!report.conforms) process.exitCode = 1;
  },
};

import { stdoutColors as pc } from '../../colors.js';
import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';

interface DoctorArgs {
  json: boolean;
}

const ok = (text: string) => `${pc.green('✔')} ${text}`;
const no = (text: string) => `${pc.yellow('✖')} ${text}`;

export const doctorCommand: CommandBody<DoctorArgs> = {
  builder: (yargs: Argv) => yargs.option('json', { type: 'boolean', default: false }) as unknown as Argv<DoctorArgs>,
  handler: async (argv) => {
    const { diagnose } = await import('../../brokers/index.js');
    const { faultProxyDiagnosis } = await import('../../faults/fault-proxy.js');
    const { tlsToolsDiagnosis } = await import('../../brokers/kraft/index.js');
    const [d, tls, faultProxy] = await Promise.all([diagnose(), tlsToolsDiagnosis(), faultProxyDiagnosis()]);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ ...d, faultProxy, tls }, null, 2)}\n`);
    } else {
      const lines = [
        d.java.found
          ? ok(`Java ${d.java.version} at ${d.java.path} (${d.java.source})`)
          : no(`Java 17+: ${d.java.reason}`),
        d.maven.found ? ok(`Maven ${d.maven.version} at ${d.maven.path}`) : no(`Maven: ${d.maven.reason}`),
        d.docker.answering ? ok(`Docker engine: ${d.docker.detail}`) : no(`Docker engine: ${d.docker.detail}`),
        d.kafkaHome === undefined
          ? `  KAFKA_HOME not set (jars come from Maven Central into the cache)`
          : d.kafkaHomeProblem
            ? no(
                `KAFKA_HOME=${d.kafkaHome} ${d.kafkaHomeProblem}: a native start fails; point it at an unpacked Kafka distribution, or unset it`,
              )
            : ok(`KAFKA_HOME=${d.kafkaHome}`),
        `  cache: ${d.cacheDir}`,
        `  Kafka version: ${d.kafkaVersion.selected}${d.kafkaVersion.selected === d.kafkaVersion.default ? ' (pinned default)' : ` (default ${d.kafkaVersion.default})`}`,
        faultProxy.kind === 'none'
          ? no(`fault proxy (network faults): ${faultProxy.reason}`)
          : ok(`fault proxy (network faults): ${faultProxy.kind}: ${faultProxy.description}`),
        tls.ready
          ? ok(`secure brokers (--security tls|sasl-ssl): ${tls.detail}`)
          : no(`secure brokers (--security tls|sasl-ssl): ${tls.detail}`),
        d.cachedKafkaVersions.length
          ? ok(`cached Kafka versions: ${d.cachedKafkaVersions.join(', ')}`)
          : no('no Kafka version cached yet (the first native start downloads about 55 MB)'),
        '',
        d.auto.kind
          ? pc.bold(`--kafka auto would pick: ${d.auto.kind} — ${d.auto.reason}`)
          : pc.red(`--kafka auto cannot pick a provider: ${d.auto.reason}`),
        ...d.auto.skipped.map((s) => `  passed over ${s.kind}: ${s.reason}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (!d.auto.kind) process.exitCode = 1;
  },
};

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'dot-properties';
import { type ClientSecurity, securityClientProperties } from '../config/security.js';
import { runKafkaTool } from '../kafka-distribution/index.js';

/** A row of `kafka-consumer-groups --describe`: what Kafka's own tooling reports. */
export interface KafkaToolLag {
  readonly topic: string;
  readonly partition: number;
  readonly committed: number | null;
  readonly end: number;
  readonly lag: number | null;
}

/**
 * Run Kafka's own ConsumerGroupCommand (the `kafka-consumer-groups.sh --describe` of the spec's
 * troubleshooting section) from the Kafka distribution's jars, and parse its table.
 */
export async function describeGroupWithKafkaTool(
  bootstrapServers: readonly string[],
  groupId: string,
  security?: ClientSecurity,
): Promise<KafkaToolLag[]> {
  // A secure cluster: the tool reads its client security from a --command-config file, private to this call.
  const dir =
    security && security.mode !== 'plaintext' ? mkdtempSync(join(tmpdir(), 'gamelan-kafka-tool-')) : undefined;
  const commandConfig = dir ? join(dir, 'client.properties') : undefined;
  if (commandConfig)
    writeFileSync(
      commandConfig,
      `${stringify(securityClientProperties(security!), { lineWidth: null, keySep: '=' })}\n`,
      { mode: 0o600 },
    );
  let stdout: string;
  try {
    stdout = await runKafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
      '--bootstrap-server',
      bootstrapServers.join(','),
      ...(commandConfig ? ['--command-config', commandConfig] : []),
      '--describe',
      '--group',
      groupId,
    ]);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  const num = (s: string | undefined) => (s === undefined || s === '-' ? null : Number(s));
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[0] === groupId && cols.length >= 6)
    .map(([, topic, partition, current, end, lag]) => ({
      topic: topic!,
      partition: Number(partition),
      committed: num(current),
      end: Number(end),
      lag: num(lag),
    }))
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

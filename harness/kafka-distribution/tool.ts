import { delimiter } from 'node:path';
import type { Env } from './cache.js';
import { kafkaVersion, resolveKafkaJars } from './jars.js';
import { findJava } from './java.js';

export interface KafkaToolOptions {
  readonly env?: Env;
  /** Kafka version whose jars run the tool; default: the one the native broker uses. */
  readonly kafkaVersion?: string;
  readonly timeoutMs?: number;
}

/**
 * Run one of Kafka's own command-line tools (a main class from the Kafka jars, e.g.
 * `org.apache.kafka.tools.consumer.group.ConsumerGroupCommand`) and return its stdout. Same JDK
 * and jars as the native broker; fails with the tool's own error output.
 */
export async function runKafkaTool(
  mainClass: string,
  args: readonly string[],
  options: KafkaToolOptions = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const [java, jars] = await Promise.all([
    findJava(env),
    resolveKafkaJars({ version: kafkaVersion(options.kafkaVersion, env), env }),
  ]);
  const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
  const { stdout } = await execa(
    java.path,
    ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-cp', jars.jars.join(delimiter), mainClass, ...args],
    {
      timeout: options.timeoutMs ?? 60_000,
    },
  );
  return stdout;
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerError } from '../../errors.js';
import { parseSimpleProperties } from '../kraft/index.js';

// KRaft storage: a log dir must be formatted (meta.properties + bootstrap checkpoint) once with the
// cluster id before the broker starts. A reused --data-dir keeps its cluster id. (Containers
// format in their command; the compose image formats from CLUSTER_ID.)

export function isFormatted(logDir: string): boolean {
  return existsSync(join(logDir, 'meta.properties'));
}

/** The cluster id recorded in `<logDir>/meta.properties`, if the dir was formatted. */
export function readClusterId(logDir: string): string | undefined {
  if (!isFormatted(logDir)) return undefined;
  return parseSimpleProperties(readFileSync(join(logDir, 'meta.properties'), 'utf8'))['cluster.id'];
}

export interface FormatOptions {
  readonly propertiesFile: string;
  readonly clusterId: string;
  /** `--add-scram` value: the SASL user to create (holds its password: the file is 0600 and read once). */
  readonly scram?: string;
}

/**
 * Have the broker's JVM format its log dir before it starts: ParentWatchLauncher reads StorageTool's
 * arguments from `file` (one per line), formats, deletes the file, then runs kafka.Kafka. One JVM start
 * per node instead of two. A failed format ends that
 * JVM with exit code 1 and the reason in the broker log, before the broker starts.
 */
export function writeFormatArgs(file: string, options: FormatOptions): string {
  const args = [
    'format',
    '-t',
    options.clusterId,
    '-c',
    options.propertiesFile,
    ...(options.scram ? ['--add-scram', options.scram] : []),
  ];
  // Not shown: the argument may be the SCRAM user with its password.
  if (args.some((arg) => /[\r\n]/.test(arg))) {
    throw new BrokerError(
      'BROKER_START_FAILED',
      `Formatting KRaft storage with ${options.propertiesFile}: a value holds a line break (the SASL user name or password?), which a storage format cannot take.`,
    );
  }
  writeFileSync(file, `${args.join('\n')}\n`, { mode: 0o600 });
  return file;
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { redactSecrets } from '../../config/secrets.js';
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
  readonly java: string;
  readonly jvmArgs: readonly string[];
  readonly classpath: string;
  readonly propertiesFile: string;
  readonly clusterId: string;
  /** `--add-scram` value: the SASL user to create (its password is redacted from any failure output). */
  readonly scram?: string;
  readonly signal?: AbortSignal;
}

export async function formatStorage(options: FormatOptions): Promise<void> {
  const result = await execa(
    options.java,
    [...options.jvmArgs, '-cp', options.classpath, 'kafka.tools.StorageTool', 'format', '-t', options.clusterId, '-c', options.propertiesFile, ...(options.scram ? ['--add-scram', options.scram] : [])],
    { reject: false, all: true, cancelSignal: options.signal, stdin: 'ignore' },
  );
  if (result.exitCode !== 0) {
    const tail = redactSecrets((result.all ?? '').split('\n').slice(-30).join('\n'));
    throw new BrokerError(
      'BROKER_START_FAILED',
      `Formatting KRaft storage with ${options.propertiesFile} failed (exit ${String(result.exitCode ?? result.signal)}):\n${tail}`,
      { logTail: tail },
    );
  }
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrokerError } from '../errors.js';
import type { Env } from './cache.js';
import { findJava, MIN_JAVA_MAJOR } from './java.js';

// The JDK's keytool: makes the TLS material of secure brokers (brokers/kraft/tls.ts) and reads a
// PKCS12/JKS truststore named by a client.properties as PEM for kafkajs. Chosen over an npm X.509
// library because only keytool writes a PKCS12 truststore that Java clients accept (its certificates
// carry the JDK's trusted-key-usage attribute; a truststore written by OpenSSL 3.0 or node-forge
// without it reads as empty in Java), and every secure mode already runs next to a JDK.

/** Path of keytool next to the JDK the harness uses (JAVA_HOME, else java on PATH). */
export async function findKeytool(env: Env = process.env): Promise<string> {
  const java = await findJava(env);
  const path = join(dirname(java.path), 'keytool');
  if (!existsSync(path)) {
    throw new BrokerError(
      'JAVA_NOT_FOUND',
      `${java.path} has no keytool beside it; TLS needs a JDK ${MIN_JAVA_MAJOR}+ (e.g. \`apt-get install openjdk-17-jdk-headless\`).`,
    );
  }
  return path;
}

/** JVM flags that make a short keytool run start fast. */
const FAST_START = ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC', '-J-Xshare:auto', '-J-XX:-UsePerfData'];

/**
 * Run keytool; its output (stdout) on success. On failure a BrokerError with its own words, where
 * `secrets` (store passwords on the command line) are replaced by `***`.
 */
export async function runKeytool(
  keytool: string,
  args: readonly string[],
  options: { readonly input?: string; readonly secrets?: readonly string[] } = {},
): Promise<string> {
  const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
  const result = await execa(keytool, [...FAST_START, ...args], {
    reject: false,
    all: true,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
  });
  if (result.exitCode !== 0) {
    let said = (result.all ?? '').trim().split('\n').slice(-5).join(' ');
    for (const secret of options.secrets ?? []) if (secret) said = said.split(secret).join('***');
    const command = args.find((a) => a.startsWith('-') && !a.startsWith('-J')) ?? '';
    throw new BrokerError(
      'BROKER_START_FAILED',
      `keytool ${command} failed (exit ${String(result.exitCode ?? result.signal)}): ${said}`,
    );
  }
  return result.stdout;
}

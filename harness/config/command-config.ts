import { existsSync } from 'node:fs';
import { readTextFileBounded } from './read-bounded.js';
import { dirname, resolve } from 'node:path';
import { parse as parseProperties } from 'dot-properties';
import { ConfigError } from '../errors.js';
import type { Env } from '../kafka-distribution/index.js';
import {
  CA_PEM_ENV,
  type ClientSecurity,
  kafkaEnvironmentName,
  SASL_MECHANISMS,
  type SaslCredentials,
  type SaslMechanism,
  SECURITY_PROTOCOLS,
  type SecurityMode,
  type TlsTrust,
  TRUSTSTORE_TYPES,
  type TruststoreType,
  withSecretsRemembered,
} from './security.js';

// A Kafka-style client.properties (`--command-config`, as kafka-topics.sh takes it), or the same
// keys as environment variables (KAFKA_SECURITY_PROTOCOL, …: what executors and child executors
// get) → a ClientSecurity. One reader for both, so a key gets the same check and the same error
// wherever it comes from. Keys that are not about security are ignored (a shared client.properties
// may hold request.timeout.ms and the like); the ones read are checked and a wrong one names the
// file, the key, the value (never a password) and what is allowed.

/** The client properties read here; every other key is left alone. */
export const SECURITY_PROPERTY_KEYS = [
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'ssl.truststore.location',
  'ssl.truststore.type',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'ssl.ca.location',
  'ssl.endpoint.identification.algorithm',
  'ssl.keystore.location',
] as const;
export type SecurityKey = (typeof SECURITY_PROPERTY_KEYS)[number];

/** Where the keys come from: for messages (`client.properties: key` or `KAFKA_KEY`) and relative paths. */
export interface PropertySource {
  /** How to name a key in a message. */
  name(key: SecurityKey): string;
  /** The file, for ConfigError details. */
  readonly file?: string;
  /** Relative paths resolve from here (the properties file's directory, or the working directory). */
  readonly baseDir: string;
}

/** Read a client.properties into a ClientSecurity (bad input: ConfigError, exit 2). */
export async function readCommandConfig(file: string, env: Env = process.env): Promise<ClientSecurity> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new ConfigError(
      'CONFIG_FILE_NOT_FOUND',
      `--command-config ${path} does not exist; pass a Kafka client.properties (security.protocol, sasl.*, ssl.truststore.*).`,
      {
        file: path,
      },
    );
  }
  let props: Record<string, string>;
  try {
    props = parseProperties(readTextFileBounded(path, { what: `--command-config ${path}` })) as Record<string, string>;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      'CONFIG_PARSE_FAILED',
      `--command-config ${path} is not a properties file: ${(error as Error).message}`,
      { file: path },
      { cause: error },
    );
  }
  return securityFromProperties(props, { name: (key) => `${path}: ${key}`, file: path, baseDir: dirname(path) }, env);
}

/** The security of an executor's environment (KAFKA_SECURITY_PROTOCOL, …), or undefined when none is set. */
export async function securityFromEnvironment(env: Env = process.env): Promise<ClientSecurity | undefined> {
  const props: Record<string, string> = {};
  for (const key of SECURITY_PROPERTY_KEYS) {
    const value = env[kafkaEnvironmentName(key)];
    if (value !== undefined) props[key] = value;
  }
  if (props['security.protocol'] === undefined) return undefined;
  const caPem = env[CA_PEM_ENV];
  return securityFromProperties(
    props,
    { name: (key) => `environment variable ${kafkaEnvironmentName(key)}`, baseDir: process.cwd() },
    env,
    caPem || undefined,
  );
}

/** Checked client properties → a ClientSecurity; its secrets are remembered for redaction. */
export async function securityFromProperties(
  props: Readonly<Record<string, string>>,
  source: PropertySource,
  env: Env = process.env,
  caPem?: string,
): Promise<ClientSecurity> {
  const bad = (key: SecurityKey, value: string, allowed: string) =>
    new ConfigError('CONFIG_INVALID_VALUE', `${source.name(key)} = "${value}" is not allowed: ${allowed}.`, {
      ...(source.file && { file: source.file }),
      key,
      value,
    });

  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').trim().toUpperCase();
  const mode = (Object.entries(SECURITY_PROTOCOLS) as [SecurityMode, string][]).find(([, p]) => p === protocol)?.[0];
  if (!mode)
    throw bad(
      'security.protocol',
      props['security.protocol']!,
      `use one of ${Object.values(SECURITY_PROTOCOLS).join(', ')}`,
    );
  if (props['ssl.keystore.location'] !== undefined) {
    throw bad(
      'ssl.keystore.location',
      props['ssl.keystore.location'],
      'client certificates (mutual TLS) are not supported by the harness; remove the ssl.keystore.* keys',
    );
  }
  if (mode === 'plaintext') return { mode };

  const sasl = mode === 'sasl-scram' || mode === 'sasl-ssl' ? saslOf(props, source, bad) : undefined;
  const tls = mode === 'tls' || mode === 'sasl-ssl' ? await tlsOf(props, source, bad, env, caPem) : undefined;
  if (mode === 'sasl-scram') return withSecretsRemembered({ mode, sasl: sasl! });
  if (mode === 'tls') return withSecretsRemembered({ mode, tls: tls! });
  return withSecretsRemembered({ mode: 'sasl-ssl', sasl: sasl!, tls: tls! });
}

type Bad = (key: SecurityKey, value: string, allowed: string) => ConfigError;

/** `Module required username="…" password="…";` → credentials. */
export const JAAS_PATTERN = /^\s*([\w.$]+)\s+required\b((?:\s+[\w.-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s;"]+))*)\s*;\s*$/;
const JAAS_OPTION = /([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/g;

function saslOf(props: Readonly<Record<string, string>>, source: PropertySource, bad: Bad): SaslCredentials {
  const mechanismValue = props['sasl.mechanism'];
  if (mechanismValue === undefined)
    throw missing(
      source,
      'sasl.mechanism',
      `it is needed with ${props['security.protocol']}; allowed: ${SASL_MECHANISMS.join(', ')} (Kafka's default GSSAPI is not supported)`,
    );
  const mechanism = mechanismValue.trim().toUpperCase() as SaslMechanism;
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism))
    throw bad('sasl.mechanism', mechanismValue, `use one of ${SASL_MECHANISMS.join(', ')}`);
  const jaas = props['sasl.jaas.config'];
  if (jaas === undefined)
    throw missing(
      source,
      'sasl.jaas.config',
      `it is needed with ${props['security.protocol']}, e.g. ${exampleJaas(mechanism)}`,
    );
  const shown = redactJaas(jaas);
  const match = JAAS_PATTERN.exec(jaas);
  if (!match) throw bad('sasl.jaas.config', shown, `write it as ${exampleJaas(mechanism)}`);
  const module = match[1]!;
  const expected = mechanism === 'PLAIN' ? 'PlainLoginModule' : 'ScramLoginModule';
  if (!module.endsWith(`.${expected}`))
    throw bad('sasl.jaas.config', shown, `${mechanism} needs the ${expected}, e.g. ${exampleJaas(mechanism)}`);
  const options = new Map<string, string>();
  for (const option of match[2]!.matchAll(JAAS_OPTION))
    options.set(option[1]!, option[2] !== undefined ? option[2].replace(/\\(.)/g, '$1') : option[3]!);
  const username = options.get('username');
  const password = options.get('password');
  if (!username || password === undefined)
    throw bad('sasl.jaas.config', shown, `it needs username="…" and password="…", e.g. ${exampleJaas(mechanism)}`);
  return { mechanism, username, password };
}

async function tlsOf(
  props: Readonly<Record<string, string>>,
  source: PropertySource,
  bad: Bad,
  env: Env,
  caPemGiven?: string,
): Promise<TlsTrust> {
  const identification = props['ssl.endpoint.identification.algorithm'];
  if (identification !== undefined && !['', 'https'].includes(identification.trim().toLowerCase())) {
    throw bad(
      'ssl.endpoint.identification.algorithm',
      identification,
      'use https (check the host name, the default) or an empty value (do not)',
    );
  }
  const verifyHostname = identification === undefined || identification.trim() !== '';
  const typeValue = props['ssl.truststore.type'];
  const type = (typeValue?.trim().toUpperCase() ??
    (props['ssl.truststore.certificates'] !== undefined ? 'PEM' : 'JKS')) as TruststoreType;
  if (!(TRUSTSTORE_TYPES as readonly string[]).includes(type))
    throw bad('ssl.truststore.type', typeValue!, `use one of ${TRUSTSTORE_TYPES.join(', ')}`);
  const file = (key: 'ssl.truststore.location' | 'ssl.ca.location'): string | undefined => {
    const value = props[key];
    if (value === undefined) return undefined;
    const path = resolve(source.baseDir, value.trim());
    if (!existsSync(path)) throw bad(key, value, `the file ${path} does not exist; name an existing file`);
    return path;
  };
  const location = file('ssl.truststore.location');
  const caLocation = file('ssl.ca.location');
  const password = props['ssl.truststore.password'];
  const certificates = props['ssl.truststore.certificates'];
  if (certificates !== undefined && type !== 'PEM')
    throw bad('ssl.truststore.type', typeValue ?? type, 'ssl.truststore.certificates needs ssl.truststore.type=PEM');

  const truststore = location ? { location, type, ...(password !== undefined && { password }) } : undefined;
  let caPem =
    caPemGiven ??
    (caLocation ? readPem(caLocation, 'ssl.ca.location', bad) : undefined) ??
    (certificates !== undefined ? certificates : undefined);
  if (caPem === undefined && truststore) {
    if (type === 'PEM') caPem = readPem(truststore.location, 'ssl.truststore.location', bad);
    else caPem = await truststorePem(truststore, source, env);
  }
  if (caPem !== undefined && !caPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw bad(
      certificates !== undefined ? 'ssl.truststore.certificates' : 'ssl.ca.location',
      caPem.slice(0, 40),
      'it must hold PEM certificates (-----BEGIN CERTIFICATE-----)',
    );
  }
  return { ...(caPem !== undefined && { caPem }), ...(truststore && { truststore }), verifyHostname };
}

function readPem(path: string, key: SecurityKey, bad: Bad): string {
  const text = readTextFileBounded(path, { what: `${key} ${path}` });
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw bad(key, path, 'the file must hold PEM certificates (-----BEGIN CERTIFICATE-----)');
  return text;
}

/** A PKCS12/JKS truststore's certificates as PEM, read with the JDK's keytool (kafkajs takes PEM only). */
async function truststorePem(
  truststore: { location: string; type: TruststoreType; password?: string },
  source: PropertySource,
  env: Env,
): Promise<string> {
  const { findKeytool, runKeytool } = await import('../kafka-distribution/index.js');
  let keytool: string;
  try {
    keytool = await findKeytool(env);
  } catch (error) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${source.name('ssl.truststore.location')} = "${truststore.location}" is a ${truststore.type} truststore, read with the JDK's keytool, which was not found (${(error as Error).message}); or give the CA as PEM with ssl.ca.location.`,
      { ...(source.file && { file: source.file }), key: 'ssl.truststore.location', value: truststore.location },
    );
  }
  const args = [
    '-list',
    '-rfc',
    '-keystore',
    truststore.location,
    '-storetype',
    truststore.type,
    ...(truststore.password !== undefined ? ['-storepass', truststore.password] : []),
  ];
  try {
    const out = await runKeytool(keytool, args, {
      ...(truststore.password !== undefined && { secrets: [truststore.password] }),
    });
    const pem = out.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
    if (!pem) throw new Error('it holds no certificates');
    return `${pem.join('\n')}\n`;
  } catch (error) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${source.name('ssl.truststore.location')} = "${truststore.location}" could not be read as a ${truststore.type} truststore with the given ssl.truststore.password (${(error as Error).message}); check its type and password.`,
      { ...(source.file && { file: source.file }), key: 'ssl.truststore.location', value: truststore.location },
    );
  }
}

function missing(source: PropertySource, key: SecurityKey, why: string): ConfigError {
  return new ConfigError('CONFIG_INVALID_VALUE', `${source.name(key)} is not set: ${why}.`, {
    ...(source.file && { file: source.file }),
    key,
  });
}

function exampleJaas(mechanism: SaslMechanism): string {
  const module =
    mechanism === 'PLAIN'
      ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
      : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  return `${module} required username="alice" password="…";`;
}

/** A jaas config for messages: its password replaced. */
function redactJaas(jaas: string): string {
  return jaas.replace(/(password\s*=\s*)(?:"(?:[^"\\]|\\.)*"|[^\s;"]+)/g, '$1"***"');
}

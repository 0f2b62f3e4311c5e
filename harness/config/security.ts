import { ConfigError } from '../errors.js';
import { rememberSecret } from './secrets.js';

// How a client reaches Kafka securely, typed once: `--security` of brokers the harness starts, and
// `--command-config client.properties` of external clusters, both end here. Everything that talks to
// Kafka derives its settings from a ClientSecurity in this file (the kafkajs adapter's `ssl` / `sasl`: clients/kafkajs-security.ts):
//   securityClientProperties → Kafka client.properties keys (the credentials file of `up --detach`)
//   executorSecurityEnvironment → Quarkus/MicroProfile environment names for executors (KAFKA_SECURITY_PROTOCOL, …)

export const SECURITY_MODES = ['plaintext', 'sasl-scram', 'tls', 'sasl-ssl'] as const;
export type SecurityMode = (typeof SECURITY_MODES)[number];

/** Kafka's security.protocol per mode. */
export const SECURITY_PROTOCOLS = {
  plaintext: 'PLAINTEXT',
  'sasl-scram': 'SASL_PLAINTEXT',
  tls: 'SSL',
  'sasl-ssl': 'SASL_SSL',
} as const satisfies Record<SecurityMode, string>;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[SecurityMode];

export const SASL_MECHANISMS = ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export const TRUSTSTORE_TYPES = ['PKCS12', 'JKS', 'PEM'] as const;
export type TruststoreType = (typeof TRUSTSTORE_TYPES)[number];

export interface SaslCredentials {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

/** A Java truststore file: what Java clients (executors) read. */
export interface JavaTruststore {
  readonly location: string;
  readonly type: TruststoreType;
  readonly password?: string;
}

export interface TlsTrust {
  /** PEM of the CA certificates to trust (kafkajs); undefined: the system's CAs. */
  readonly caPem?: string;
  /** The same trust for Java clients; undefined with caPem: handed over as PEM certificates. */
  readonly truststore?: JavaTruststore;
  /** false when ssl.endpoint.identification.algorithm is empty (no host name check). */
  readonly verifyHostname: boolean;
}

export type ClientSecurity =
  | { readonly mode: 'plaintext' }
  | { readonly mode: 'sasl-scram'; readonly sasl: SaslCredentials }
  | { readonly mode: 'tls'; readonly tls: TlsTrust }
  | { readonly mode: 'sasl-ssl'; readonly sasl: SaslCredentials; readonly tls: TlsTrust };

export const PLAINTEXT_SECURITY: ClientSecurity = Object.freeze({ mode: 'plaintext' });

export const SECURITY_MODES_ALLOWED = SECURITY_MODES.join(', ');

export function isSecurityMode(value: unknown): value is SecurityMode {
  return typeof value === 'string' && (SECURITY_MODES as readonly string[]).includes(value);
}

/** `--security` and friends: a mode, or a ConfigError naming the input, the value and what is allowed. */
export function parseSecurityMode(value: unknown, input: string): SecurityMode {
  if (isSecurityMode(value)) return value;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${input} "${String(value)}" is not a security mode; allowed: ${SECURITY_MODES_ALLOWED}.`,
    { key: input, value },
  );
}

export function usesSasl(security: ClientSecurity): security is Extract<ClientSecurity, { sasl: SaslCredentials }> {
  return security.mode === 'sasl-scram' || security.mode === 'sasl-ssl';
}

export function usesTls(security: ClientSecurity): security is Extract<ClientSecurity, { tls: TlsTrust }> {
  return security.mode === 'tls' || security.mode === 'sasl-ssl';
}

/** Mark every secret of a security config for redaction (secrets.ts); returns it. */
export function withSecretsRemembered<S extends ClientSecurity>(security: S): S {
  if (usesSasl(security)) rememberSecret(security.sasl.password);
  if (usesTls(security) && security.tls.truststore?.password) rememberSecret(security.tls.truststore.password);
  return security;
}

/** A one-line description without secrets, for summaries: `sasl-ssl (SCRAM-SHA-512 as gamelan)`. */
export function describeSecurity(security: ClientSecurity): string {
  if (!usesSasl(security)) return security.mode;
  return `${security.mode} (${security.sasl.mechanism} as ${security.sasl.username})`;
}

const LOGIN_MODULES: Record<SaslMechanism, string> = {
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
};

/** `sasl.jaas.config` of a Java client for these credentials. */
export function jaasConfig(sasl: SaslCredentials): string {
  return `${LOGIN_MODULES[sasl.mechanism]} required username="${sasl.username}" password="${sasl.password}";`;
}

/**
 * The Kafka client.properties keys of a security config (what a Java client, kafka-console-consumer
 * or `--command-config` reads). `ssl.ca.location` (librdkafka's name for a PEM file) is added when
 * `caFile` is given, so the harness reads the CA without a JDK.
 */
export function securityClientProperties(security: ClientSecurity, caFile?: string): Record<string, string> {
  const props: Record<string, string> = { 'security.protocol': SECURITY_PROTOCOLS[security.mode] };
  if (usesSasl(security)) {
    props['sasl.mechanism'] = security.sasl.mechanism;
    props['sasl.jaas.config'] = jaasConfig(security.sasl);
  }
  if (usesTls(security)) {
    const { truststore, caPem, verifyHostname } = security.tls;
    if (truststore) {
      props['ssl.truststore.location'] = truststore.location;
      props['ssl.truststore.type'] = truststore.type;
      if (truststore.password !== undefined) props['ssl.truststore.password'] = truststore.password;
    } else if (caPem) {
      props['ssl.truststore.type'] = 'PEM';
      props['ssl.truststore.certificates'] = caPem;
    }
    if (caFile) props['ssl.ca.location'] = caFile;
    if (!verifyHostname) props['ssl.endpoint.identification.algorithm'] = '';
  }
  return props;
}

/** The environment variable Quarkus/MicroProfile maps onto a Kafka client property (`sasl.jaas.config` → `KAFKA_SASL_JAAS_CONFIG`). */
export function kafkaEnvironmentName(key: string): string {
  return `KAFKA_${key.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

/** Harness extension: the CA PEM itself, so Node clients (child executors) need no file and no JDK. */
export const CA_PEM_ENV = 'GAMELAN_KAFKA_SSL_CA_PEM';

/**
 * The environment an executor gets for this security config, with the names Quarkus maps onto `kafka.*`
 * (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_LOCATION,
 * _TYPE, _PASSWORD), and the CA as PEM (GAMELAN_KAFKA_SSL_CA_PEM) for clients that are not Java.
 */
export function executorSecurityEnvironment(security: ClientSecurity | undefined): Record<string, string> {
  if (!security) return {};
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(securityClientProperties(security))) env[kafkaEnvironmentName(key)] = value;
  if (usesTls(security) && security.tls.caPem) env[CA_PEM_ENV] = security.tls.caPem;
  return env;
}

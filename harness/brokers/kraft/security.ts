import { ConfigError } from '../../errors.js';
import { rememberSecret } from '../../config/secrets.js';
import {
  type ClientSecurity,
  type SaslCredentials,
  SECURITY_PROTOCOLS,
  type SecurityMode,
  withSecretsRemembered,
} from '../../config/security.js';
import type { Env } from '../../kafka-distribution/index.js';
import { type BrokerTlsMaterial, generateTlsMaterial, randomPassword } from './tls.js';

// A secure KRaft node, whichever provider launches it: the client listeners speak the chosen protocol
// (SASL_PLAINTEXT, SSL or SASL_SSL); inter-broker (INTERNAL) and controller listeners stay PLAINTEXT on
// loopback or the cluster's own Docker network. SCRAM-SHA-512 users are created when the storage is
// formatted (kafka-storage format --add-scram), so the first client is authenticated from the start.

/** `--security` of brokers the harness starts. */
export interface BrokerSecurityOptions {
  readonly mode: SecurityMode;
  /** SASL user (default `gamelan`). */
  readonly username?: string;
  /** SASL password (default: random per start). Never printed or written to a report. */
  readonly password?: string;
}

export const DEFAULT_SASL_USERNAME = 'gamelan';
export const BROKER_SASL_MECHANISM = 'SCRAM-SHA-512';

/** What a secure launch prepared: the broker's side (credentials, stores) and the client's. */
export interface BrokerSecurity {
  readonly mode: Exclude<SecurityMode, 'plaintext'>;
  /** Listener name (and protocol) of the client listeners: SASL_PLAINTEXT, SSL or SASL_SSL. */
  readonly listener: string;
  readonly sasl?: SaslCredentials;
  readonly tls?: BrokerTlsMaterial;
  /** How clients connect (awaits the Java truststore). */
  client(): Promise<ClientSecurity>;
}

const SAFE_USERNAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Checks given credentials before anything starts (bad input, exit 2). */
export function checkBrokerSecurityOptions(options: BrokerSecurityOptions | undefined): void {
  if (!options) return;
  if (options.username !== undefined && !SAFE_USERNAME.test(options.username)) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `SASL username "${options.username}" is not allowed: use 1 to 64 letters, digits, '.', '_' or '-'.`,
      { key: 'security.username', value: options.username },
    );
  }
  if (options.password !== undefined && (options.password.length < 8 || /["\\\s]/.test(options.password))) {
    rememberSecret(options.password);
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      'The SASL password is not allowed: use at least 8 characters without quotes, backslashes or spaces (the value is not shown).',
      {
        key: 'security.password',
      },
    );
  }
}

/** Credentials and, for TLS modes, certificates into `dir`; undefined for plaintext. */
export async function prepareBrokerSecurity(
  options: BrokerSecurityOptions | undefined,
  dir: string,
  env: Env,
): Promise<BrokerSecurity | undefined> {
  if (!options || options.mode === 'plaintext') return undefined;
  checkBrokerSecurityOptions(options);
  const mode = options.mode;
  if (options.password !== undefined) rememberSecret(options.password);
  const sasl: SaslCredentials | undefined =
    mode === 'sasl-scram' || mode === 'sasl-ssl'
      ? {
          mechanism: BROKER_SASL_MECHANISM,
          username: options.username ?? DEFAULT_SASL_USERNAME,
          password: options.password ?? randomPassword(),
        }
      : undefined;
  const tls = mode === 'tls' || mode === 'sasl-ssl' ? await generateTlsMaterial(dir, env) : undefined;
  return {
    mode,
    listener: SECURITY_PROTOCOLS[mode],
    ...(sasl && { sasl }),
    ...(tls && { tls }),
    async client() {
      const trust = tls ? { caPem: tls.caPem, truststore: await tls.truststore, verifyHostname: true } : undefined;
      if (mode === 'sasl-scram') return withSecretsRemembered({ mode, sasl: sasl! });
      if (mode === 'tls') return withSecretsRemembered({ mode, tls: trust! });
      return withSecretsRemembered({ mode: 'sasl-ssl', sasl: sasl!, tls: trust! });
    },
  };
}

/**
 * The server.properties keys a secure node adds: SASL mechanisms and the server JAAS entry per client
 * listener, the keystore (paths as the broker sees them: a container has its own). `clientListeners`
 * are the listener names that speak the secure protocol (the client listener, and PROXIED with a fault proxy).
 */
export function securityServerProperties(
  security: BrokerSecurity,
  clientListeners: readonly string[],
  paths: { readonly keystore: string } = { keystore: security.tls?.keystore.location ?? '' },
): Record<string, string> {
  const props: Record<string, string> = {};
  if (security.sasl) {
    props['sasl.enabled.mechanisms'] = BROKER_SASL_MECHANISM;
    for (const listener of clientListeners) {
      // The server side of SCRAM needs a JAAS entry per listener; users come from the metadata log (--add-scram).
      props[`listener.name.${listener.toLowerCase()}.${BROKER_SASL_MECHANISM.toLowerCase()}.sasl.jaas.config`] =
        'org.apache.kafka.common.security.scram.ScramLoginModule required;';
    }
  }
  if (security.tls) {
    props['ssl.keystore.type'] = 'PKCS12';
    props['ssl.keystore.location'] = paths.keystore;
    props['ssl.keystore.password'] = security.tls.keystore.password;
    props['ssl.key.password'] = security.tls.keystore.password;
    props['ssl.client.auth'] = 'none';
  }
  return props;
}

/** `kafka-storage format --add-scram` value creating the SASL user. */
export function scramFormatArgument(sasl: SaslCredentials): string {
  return `${sasl.mechanism}=[name=${sasl.username},password="${sasl.password}"]`;
}

import { redactSecrets } from '../config/secrets.js';
import { type ClientSecurity, usesSasl } from '../config/security.js';
import { BrokerError } from '../errors.js';

// A client that reached Kafka but was refused for security reasons gets one sentence saying which
// (credentials or certificate) and what to check, instead of kafkajs's retry trace. Used by the
// readiness wait and by the CLI tools' connect.

const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The security failure in an error chain (kafkajs nests causes), as a BrokerError; undefined for other failures. */
export function securityFailure(
  error: unknown,
  servers: readonly string[],
  security: ClientSecurity | undefined,
): BrokerError | undefined {
  const where = servers.join(',');
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (e.name === 'KafkaJSSASLAuthenticationError' || /SASL .*authentication failed/i.test(e.message)) {
      const who =
        security && usesSasl(security)
          ? `${security.sasl.mechanism} login of user "${security.sasl.username}"`
          : 'SASL login';
      return new BrokerError(
        'BROKER_AUTH_FAILED',
        `Kafka at ${where} refused the ${who} (wrong user name or password): check sasl.jaas.config of --command-config, or the password the broker was started with.`,
        {},
        { cause: redactedError(e) },
      );
    }
    if (typeof code === 'string' && TLS_TRUST_CODES.has(code)) {
      return new BrokerError(
        'BROKER_AUTH_FAILED',
        `Kafka at ${where} presented a TLS certificate this client does not trust (${code}): give its CA with ssl.truststore.location or ssl.ca.location in --command-config.`,
        {},
        { cause: redactedError(e) },
      );
    }
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  return undefined;
}

/** A copy of an error whose message cannot carry a secret further (kafkajs errors may echo their configuration). */
function redactedError(error: Error): Error {
  const copy = new Error(redactSecrets(error.message));
  copy.name = error.name;
  return copy;
}

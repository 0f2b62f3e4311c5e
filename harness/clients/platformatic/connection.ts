import type { BaseOptions } from '@platformatic/kafka';
import { type ClientSecurity, usesSasl, usesTls } from '../../config/security.js';

// How a @platformatic/kafka client reaches the cluster: bootstrap servers and the ClientSecurity every harness client
// derives its settings from (config/security.ts).

export interface PlatformaticConnection {
  readonly bootstrapServers: readonly string[];
  readonly clientId: string;
  readonly security?: ClientSecurity;
  /** Per-request timeout (default the library's, 30 s). */
  readonly requestTimeoutMs?: number;
}

/** The base options of every platformatic client (producer, consumer, admin) for this connection. */
export function platformaticBaseOptions(connection: PlatformaticConnection): BaseOptions {
  const { security } = connection;
  const options: BaseOptions = {
    clientId: connection.clientId,
    bootstrapBrokers: [...connection.bootstrapServers],
    // Java's retry.backoff.ms 100 growing to 1 s, tried for up to ~2 minutes (delivery.timeout.ms), as settings.ts does for kafkajs.
    retries: 10,
    retryDelay: (_client, _operation, attempt) => Math.min(100 * 2 ** Math.max(0, attempt - 1), 1_000),
    autocreateTopics: false,
    ...(connection.requestTimeoutMs !== undefined && { requestTimeout: connection.requestTimeoutMs }),
  };
  if (security && usesTls(security)) {
    const { caPem, verifyHostname } = security.tls;
    options.tls = { ...(caPem && { ca: [caPem] }), ...(!verifyHostname && { checkServerIdentity: () => undefined }) };
  }
  if (security && usesSasl(security)) {
    const { mechanism, username, password } = security.sasl;
    options.sasl = { mechanism, username, password };
  }
  return options;
}

import type { BaseOptions } from '@platformatic/kafka';
import { usesSasl, usesTls } from '../../config/security.js';
import { ConfigError } from '../../errors.js';
import type { ClientOptions, ClientRetry } from '../client-api.js';

// How a @platformatic/kafka client reaches the cluster: the client options every adapter takes (bootstrap servers,
// the ClientSecurity of config/security.ts, timeouts, retries).

/**
 * @platformatic/kafka 2.12.1 has no public way to open its sockets (its connection pool hook is a private symbol),
 * so a network fault lane per client cannot reach it: its clients go through the advertised lane (brokers started
 * with a fault proxy advertise it, and every client reaches them through it). Asking for a socket factory is refused
 * rather than silently ignored.
 */
export function refuseSocketFactory(options: ClientOptions): void {
  if (options.socketFactory) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `Kafka client "platformatic" cannot take a socket factory (a per-client fault lane): @platformatic/kafka 2.12.1 has no public socket hook. ` +
        'Fault it through the advertised lane (brokers started with a fault proxy), or use --client kafkajs for per-client lanes.',
      { key: 'socketFactory', value: 'platformatic' },
    );
  }
}

/** Java's retry.backoff.ms 100 growing to retry.backoff.max.ms 1 s, unless `retry` says otherwise. */
function retryOptions(retry: ClientRetry | undefined): Pick<BaseOptions, 'retries' | 'retryDelay'> {
  const initial = retry?.initialRetryTime ?? 100;
  const max = retry?.maxRetryTime ?? 1_000;
  const multiplier = retry?.multiplier ?? 2;
  return {
    retries: retry?.retries ?? 10,
    retryDelay: (_client, _operation, attempt) => Math.min(initial * multiplier ** Math.max(0, attempt - 1), max),
  };
}

/** The base options of every platformatic client (producer, consumer, admin) of these client options. */
export function platformaticBaseOptions(
  options: ClientOptions,
  retry: ClientRetry | undefined = options.retry,
): BaseOptions {
  refuseSocketFactory(options);
  const { security } = options;
  const base: BaseOptions = {
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
    autocreateTopics: false,
    ...retryOptions(retry),
    ...(options.connectionTimeout !== undefined && { connectTimeout: options.connectionTimeout }),
    ...(options.requestTimeout !== undefined && { requestTimeout: options.requestTimeout }),
  };
  if (security && usesTls(security)) {
    const { caPem, verifyHostname } = security.tls;
    base.tls = { ...(caPem && { ca: [caPem] }), ...(!verifyHostname && { checkServerIdentity: () => undefined }) };
  }
  if (security && usesSasl(security)) {
    const { mechanism, username, password } = security.sasl;
    base.sasl = { mechanism, username, password };
  }
  return base;
}

import type { Admin, ClientKind, ClientLogLevel, KafkaClient } from '../clients/client-api.js';
import { createClient } from '../clients/create-client.js';
import { type ClientSecurity, PLAINTEXT_SECURITY } from '../config/security.js';
import type { ConcreteProviderKind, StartedBroker } from './types.js';

// The provider-independent half of a started broker: Kafka clients for its bootstrap servers,
// one shared admin, and an idempotent stop that closes the admin before the provider's teardown.

export interface StartedBrokerSpec {
  readonly kind: ConcreteProviderKind;
  readonly bootstrapServers: readonly string[];
  readonly brokerCount: number;
  readonly logFiles: readonly string[];
  /** Default plaintext. */
  readonly security?: ClientSecurity;
  /** The client library of kafka() and admin(); default GAMELAN_KAFKA_CLIENT, else kafkajs. */
  readonly client?: ClientKind;
  /** Provider teardown (kill JVMs, remove dirs, stop containers), run once, after the admin is closed. */
  teardown(): Promise<void>;
}

export function createStartedBroker(spec: StartedBrokerSpec): StartedBroker {
  const bootstrapServers = Object.freeze([...spec.bootstrapServers]);
  const security = spec.security ?? PLAINTEXT_SECURITY;
  let admin: Promise<Admin> | undefined;
  let stopping: Promise<void> | undefined;

  const kafka = (clientId = 'gamelan-harness', logLevel: ClientLogLevel = 'error'): KafkaClient =>
    createClient({
      clientId,
      brokers: bootstrapServers,
      logLevel,
      security,
      ...(spec.client && { kind: spec.client }),
    });

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const shared = admin;
      admin = undefined;
      if (shared) await shared.then((a) => a.disconnect()).catch(() => {});
      await spec.teardown();
    })();
    return stopping;
  };

  return {
    kind: spec.kind,
    bootstrapServers,
    brokerCount: spec.brokerCount,
    logFiles: Object.freeze([...spec.logFiles]),
    security,
    ...(spec.client && { client: spec.client }),
    kafka: (clientId?: string, logLevel?: ClientLogLevel) => kafka(clientId, logLevel),
    admin() {
      if (stopping)
        return Promise.reject(new Error('This broker has been stopped; start a new one for a new admin client.'));
      admin ??= (async () => {
        // Quiet: its connection errors while a node is down (failover tests) reach callers as rejections anyway.
        const client = kafka('gamelan-harness-admin', 'nothing').admin();
        await client.connect();
        return client;
      })();
      const current = admin;
      current.catch(() => {
        if (admin === current) admin = undefined; // let the next call retry
      });
      return current;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

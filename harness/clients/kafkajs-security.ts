import type { ConnectionOptions } from 'node:tls';
import { type ClientSecurity, usesSasl, usesTls } from '../config/security.js';

// A ClientSecurity (config/security.ts) as kafkajs's `ssl` / `sasl` options: the kafkajs adapter's, and a raw
// kafkajs client's (`kafkajsClient({ brokers, ...kafkajsSecurity(broker.security) })`).

/** kafkajs's `sasl` option for the mechanisms the harness speaks (kafkajs's names). */
export type KafkajsSasl = {
  [M in 'plain' | 'scram-sha-256' | 'scram-sha-512']: { mechanism: M; username: string; password: string };
}['plain' | 'scram-sha-256' | 'scram-sha-512'];

export interface KafkajsSecurity {
  readonly ssl?: ConnectionOptions | boolean;
  readonly sasl?: KafkajsSasl;
}

/** The kafkajs `ssl` / `sasl` options of a security config (spread into `new Kafka({ … })`). */
export function kafkajsSecurity(security: ClientSecurity | undefined): KafkajsSecurity {
  if (!security || security.mode === 'plaintext') return {};
  const out: { ssl?: ConnectionOptions | boolean; sasl?: KafkajsSasl } = {};
  if (usesTls(security)) {
    const { caPem, verifyHostname } = security.tls;
    const ssl: ConnectionOptions = {
      ...(caPem && { ca: [caPem] }),
      ...(!verifyHostname && { checkServerIdentity: () => undefined }),
    };
    out.ssl = Object.keys(ssl).length > 0 ? ssl : true;
  }
  if (usesSasl(security)) {
    const { mechanism, username, password } = security.sasl;
    out.sasl =
      mechanism === 'PLAIN'
        ? { mechanism: 'plain', username, password }
        : { mechanism: mechanism === 'SCRAM-SHA-512' ? 'scram-sha-512' : 'scram-sha-256', username, password };
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { containerServerProperties } from '../../../harness/brokers/container/properties.js';
import {
  checkBrokerSecurityOptions,
  scramFormatArgument,
  securityServerProperties,
  serverProperties,
  type BrokerSecurity,
} from '../../../harness/brokers/kraft/index.js';
import { forgetSecrets, redactSecrets } from '../../../harness/config/secrets.js';
import { ConfigError } from '../../../harness/errors.js';

const node = { nodeId: 1, port: 19092, controllerPort: 19093, internalPort: 19094 };
const sasl = { mechanism: 'SCRAM-SHA-512', username: 'gamelan', password: 'Pw-1234567890' } as const;
const tls = {
  dir: '/tmp/x',
  keystore: { location: '/tmp/x/broker.p12', type: 'PKCS12', password: 'store-pw-1' },
  caPem: '',
  caFile: '/tmp/x/ca.pem',
  truststore: Promise.resolve({ location: '/tmp/x/ts.p12', type: 'PKCS12' as const }),
} as const;
const saslSsl: BrokerSecurity = {
  mode: 'sasl-ssl',
  listener: 'SASL_SSL',
  sasl,
  tls,
  client: async () => ({ mode: 'plaintext' }),
};

describe('secure KRaft listeners', () => {
  it('plaintext is unchanged: one PLAINTEXT client listener that brokers share', () => {
    const p = serverProperties({
      node: { nodeId: 1, port: 1, controllerPort: 2 },
      cluster: [{ nodeId: 1, port: 1, controllerPort: 2 }],
      logDir: '/d',
    });
    expect(p.listeners).toBe('PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2');
    expect(p['inter.broker.listener.name']).toBe('PLAINTEXT');
  });

  it('a secure client listener; brokers talk on a PLAINTEXT INTERNAL loopback listener; PROXIED speaks the client protocol', () => {
    const proxied = { ...node, proxied: { port: 19095, advertisedPort: 29095 } };
    const p = serverProperties({ node: proxied, cluster: [proxied], logDir: '/d', clientProtocol: 'SASL_SSL' });
    expect(p.listeners).toBe(
      'SASL_SSL://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093,INTERNAL://127.0.0.1:19094,PROXIED://127.0.0.1:19095',
    );
    expect(p['advertised.listeners']).toBe(
      'SASL_SSL://127.0.0.1:19092,INTERNAL://127.0.0.1:19094,PROXIED://127.0.0.1:29095',
    );
    expect(p['inter.broker.listener.name']).toBe('INTERNAL');
    expect(p['listener.security.protocol.map']).toBe(
      'SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,PROXIED:SASL_SSL',
    );
  });

  it('a secure listener without an internal port is a programming error, not a silent PLAINTEXT cluster', () => {
    expect(() =>
      serverProperties({
        node: { nodeId: 1, port: 1, controllerPort: 2 },
        cluster: [],
        logDir: '/d',
        clientProtocol: 'SSL',
      }),
    ).toThrow(/internal/);
  });

  it('SASL: the SCRAM mechanism and a server JAAS entry per secure listener; TLS: the PKCS12 keystore', () => {
    expect(securityServerProperties(saslSsl, ['SASL_SSL', 'PROXIED'])).toEqual({
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.proxied.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': '/tmp/x/broker.p12',
      'ssl.keystore.password': 'store-pw-1',
      'ssl.key.password': 'store-pw-1',
      'ssl.client.auth': 'none',
    });
  });

  it('containers: the client listener speaks the protocol, the keystore path is the container’s, brokers use INTERNAL', () => {
    const n = { nodeId: 1, hostPort: 40000, alias: 'kafka-1' };
    const p = containerServerProperties(n, [n], saslSsl);
    expect(p.listeners).toMatch(/^SASL_SSL:\/\/0\.0\.0\.0:9092,INTERNAL:/);
    expect(p['advertised.listeners']).toMatch(/^SASL_SSL:\/\/127\.0\.0\.1:40000,/);
    expect(p['listener.security.protocol.map']).toBe('SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT');
    expect(p['ssl.keystore.location']).toBe('/etc/gamelan/broker.p12');
  });

  it('the --add-scram value quotes the password', () => {
    expect(scramFormatArgument(sasl)).toBe('SCRAM-SHA-512=[name=gamelan,password="Pw-1234567890"]');
  });

  it('a given password or user that cannot be written safely is refused before anything starts, without showing the password', () => {
    forgetSecrets();
    const error = (() => {
      try {
        checkBrokerSecurityOptions({ mode: 'sasl-ssl', password: 'has "Zebra-Leak" in it' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('Zebra-Leak');
    expect(redactSecrets('echo has "Zebra-Leak" in it')).toBe('echo ***'); // and later echoes of it are redacted
    expect(() => checkBrokerSecurityOptions({ mode: 'sasl-ssl', password: 'short' })).toThrow(/at least 8 characters/);
    expect(() => checkBrokerSecurityOptions({ mode: 'sasl-ssl', username: 'bad user' })).toThrow(
      'SASL username "bad user" is not allowed',
    );
    expect(() =>
      checkBrokerSecurityOptions({ mode: 'sasl-ssl', username: 'alice', password: 'Fine-Pass-123' }),
    ).not.toThrow();
  });
});

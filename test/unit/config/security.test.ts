import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCommandConfig, securityFromEnvironment } from '../../../harness/config/command-config.js';
import { forgetSecrets, redactSecrets } from '../../../harness/config/secrets.js';
import {
  type ClientSecurity,
  executorSecurityEnvironment,
  jaasConfig,
  parseSecurityMode,
  securityClientProperties,
} from '../../../harness/config/security.js';
import { kafkajsSecurity } from '../../../harness/clients/kafkajs-security.js';
import { ConfigError } from '../../../harness/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-security-unit-'));
const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const caFile = path.join(dir, 'ca.pem');
writeFileSync(caFile, CA);
const truststore = path.join(dir, 'truststore.p12');
writeFileSync(truststore, 'not read when ssl.ca.location is given');

const sasl = { mechanism: 'SCRAM-SHA-512', username: 'gamelan', password: 'Canary-Secret-0042' } as const;
const saslSsl: ClientSecurity = {
  mode: 'sasl-ssl',
  sasl,
  tls: {
    caPem: CA,
    truststore: { location: truststore, type: 'PKCS12', password: 'store-pass-9' },
    verifyHostname: true,
  },
};

function properties(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The ConfigError a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

afterEach(() => forgetSecrets());

describe('security config → kafkajs options', () => {
  it('plaintext adds nothing', () => {
    expect(kafkajsSecurity({ mode: 'plaintext' })).toEqual({});
    expect(kafkajsSecurity(undefined)).toEqual({});
  });

  it('sasl-scram gives sasl only, with kafkajs mechanism names', () => {
    expect(kafkajsSecurity({ mode: 'sasl-scram', sasl })).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'gamelan', password: sasl.password },
    });
    expect(kafkajsSecurity({ mode: 'sasl-scram', sasl: { ...sasl, mechanism: 'PLAIN' } }).sasl?.mechanism).toBe(
      'plain',
    );
  });

  it('tls trusts the CA PEM; no CA means the system CAs; an empty identification algorithm skips the host name check', () => {
    expect(kafkajsSecurity({ mode: 'tls', tls: { caPem: CA, verifyHostname: true } })).toEqual({ ssl: { ca: [CA] } });
    expect(kafkajsSecurity({ mode: 'tls', tls: { verifyHostname: true } })).toEqual({ ssl: true });
    const ssl = kafkajsSecurity({ mode: 'tls', tls: { caPem: CA, verifyHostname: false } }).ssl as {
      checkServerIdentity?: () => unknown;
    };
    expect(ssl.checkServerIdentity?.()).toBeUndefined();
  });

  it('sasl-ssl gives both', () => {
    const options = kafkajsSecurity(saslSsl);
    expect(options.ssl).toEqual({ ca: [CA] });
    expect(options.sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'gamelan' });
  });
});

describe('security config → executor environment (Quarkus names) and client.properties', () => {
  it('names every key as Quarkus maps it onto kafka.*', () => {
    const env = executorSecurityEnvironment(saslSsl);
    expect(env).toEqual({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_JAAS_CONFIG: `org.apache.kafka.common.security.scram.ScramLoginModule required username="gamelan" password="${sasl.password}";`,
      KAFKA_SSL_TRUSTSTORE_LOCATION: truststore,
      KAFKA_SSL_TRUSTSTORE_TYPE: 'PKCS12',
      KAFKA_SSL_TRUSTSTORE_PASSWORD: 'store-pass-9',
      GAMELAN_KAFKA_SSL_CA_PEM: CA,
    });
    expect(executorSecurityEnvironment({ mode: 'plaintext' })).toEqual({ KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' });
    expect(executorSecurityEnvironment(undefined)).toEqual({});
  });

  it('a CA without a Java truststore goes to Java clients as PEM certificates', () => {
    expect(securityClientProperties({ mode: 'tls', tls: { caPem: CA, verifyHostname: false } })).toEqual({
      'security.protocol': 'SSL',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': CA,
      'ssl.endpoint.identification.algorithm': '',
    });
  });

  it('the environment reads back into the same security (what child executors do)', async () => {
    const back = await securityFromEnvironment(executorSecurityEnvironment(saslSsl));
    expect(back).toEqual(saslSsl);
    expect(await securityFromEnvironment({})).toBeUndefined();
  });

  it('remembers the secrets it read, and redaction replaces them', async () => {
    await securityFromEnvironment(executorSecurityEnvironment(saslSsl));
    expect(redactSecrets(`failed: ${jaasConfig(sasl)} with store-pass-9`)).toBe(
      'failed: org.apache.kafka.common.security.scram.ScramLoginModule required username="gamelan" password="***"; with ***',
    );
  });
});

describe('--command-config client.properties', () => {
  it('reads a SASL_SSL client.properties (jaas with escapes, CA from ssl.ca.location, relative paths from the file)', async () => {
    const file = properties(
      'ok.properties',
      [
        '# a shared client.properties',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-256',
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\',
        '    username="alice" password="pa\\\\"ss";',
        'ssl.ca.location=ca.pem',
        'ssl.truststore.location=truststore.p12',
        'ssl.truststore.type=PKCS12',
        'ssl.truststore.password=store-pass-9',
        'request.timeout.ms=30000',
      ].join('\n'),
    );
    const security = await readCommandConfig(file);
    expect(security).toEqual({
      mode: 'sasl-ssl',
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'pa"ss' },
      tls: {
        caPem: CA,
        truststore: { location: truststore, type: 'PKCS12', password: 'store-pass-9' },
        verifyHostname: true,
      },
    });
  });

  it('PLAINTEXT (or no security.protocol) is plaintext; PEM truststores are read as the CA', async () => {
    expect(await readCommandConfig(properties('plain.properties', 'request.timeout.ms=1\n'))).toEqual({
      mode: 'plaintext',
    });
    const tls = await readCommandConfig(
      properties(
        'pem.properties',
        `security.protocol=ssl\nssl.truststore.type=PEM\nssl.truststore.location=${caFile}\n`,
      ),
    );
    expect(tls).toEqual({
      mode: 'tls',
      tls: { caPem: CA, truststore: { location: caFile, type: 'PEM' }, verifyHostname: true },
    });
  });

  it('a missing file is CONFIG_FILE_NOT_FOUND naming it', async () => {
    const error = await refusal(readCommandConfig(path.join(dir, 'nope.properties')));
    expect(error.code).toBe('CONFIG_FILE_NOT_FOUND');
    expect(error.message).toContain('nope.properties');
  });

  it.each([
    ['security.protocol=SASL_TLS', 'security.protocol', 'SASL_TLS', 'PLAINTEXT, SASL_PLAINTEXT, SSL, SASL_SSL'],
    [
      'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=GSSAPI\nsasl.jaas.config=x required;',
      'sasl.mechanism',
      'GSSAPI',
      'SCRAM-SHA-512, SCRAM-SHA-256, PLAIN',
    ],
    [
      'security.protocol=SSL\nssl.truststore.type=BKS\nssl.truststore.location=ca.pem',
      'ssl.truststore.type',
      'BKS',
      'PKCS12, JKS, PEM',
    ],
    [
      'security.protocol=SSL\nssl.truststore.location=missing.p12',
      'ssl.truststore.location',
      'missing.p12',
      'does not exist',
    ],
    [
      'security.protocol=SSL\nssl.endpoint.identification.algorithm=dns',
      'ssl.endpoint.identification.algorithm',
      'dns',
      'https',
    ],
    ['security.protocol=SSL\nssl.keystore.location=client.p12', 'ssl.keystore.location', 'client.p12', 'mutual TLS'],
  ])('%j is refused naming the file, the key, the value and what is allowed', async (text, key, value, allowed) => {
    const file = properties(`bad-${key}.properties`, text);
    const error = await refusal(readCommandConfig(file));
    expect(error.code).toBe('CONFIG_INVALID_VALUE');
    expect(error.message).toContain(file);
    expect(error.message).toContain(key);
    expect(error.message).toContain(value);
    expect(error.message).toContain(allowed);
    expect(error.details).toMatchObject({ file, key });
  });

  it('SASL without a mechanism or jaas config says which key is missing', async () => {
    const noMechanism = await refusal(
      readCommandConfig(properties('no-mech.properties', 'security.protocol=SASL_SSL\n')),
    );
    expect(noMechanism.message).toMatch(/sasl\.mechanism is not set: .*SCRAM-SHA-512.*GSSAPI is not supported/);
    const noJaas = await refusal(
      readCommandConfig(
        properties('no-jaas.properties', 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n'),
      ),
    );
    expect(noJaas.message).toMatch(/sasl\.jaas\.config is not set: .*ScramLoginModule required username="alice"/);
  });

  it('a wrong jaas config is refused without showing its password', async () => {
    const cases = [
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="Leaky-Secret-1";', // module does not fit SCRAM
      'org.apache.kafka.common.security.scram.ScramLoginModule required password="Leaky-Secret-1";', // no username
      'ScramLoginModule username="a" password="Leaky-Secret-1"', // no `required`, no `;`
    ];
    for (const jaas of cases) {
      const error = await refusal(
        readCommandConfig(
          properties(
            'jaas.properties',
            `security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=${jaas}\n`,
          ),
        ),
      );
      expect(error.message).toContain('sasl.jaas.config');
      expect(error.message).not.toContain('Leaky-Secret-1');
      expect(JSON.stringify(error.details)).not.toContain('Leaky-Secret-1');
    }
  });

  it('a CA file that is not PEM is refused', async () => {
    const notPem = properties('not-pem.txt', 'hello');
    const error = await refusal(
      readCommandConfig(properties('ca.properties', `security.protocol=SSL\nssl.ca.location=${notPem}\n`)),
    );
    expect(error.message).toMatch(/ssl\.ca\.location.*PEM certificates/);
  });
});

describe('--security', () => {
  it('accepts the four modes and names them when refusing', () => {
    expect(parseSecurityMode('sasl-ssl', '--security')).toBe('sasl-ssl');
    expect(() => parseSecurityMode('ssl', '--security')).toThrow(
      '--security "ssl" is not a security mode; allowed: plaintext, sasl-scram, tls, sasl-ssl.',
    );
  });
});

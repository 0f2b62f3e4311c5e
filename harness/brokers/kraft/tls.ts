import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rememberSecret } from '../../config/secrets.js';
import type { JavaTruststore } from '../../config/security.js';
import { BrokerError } from '../../errors.js';
import { type Env, findKeytool, runKeytool } from '../../kafka-distribution/index.js';
import { LOOPBACK } from './server-properties.js';

// TLS material of one secure start, made fresh into the start's own directory (removed with it):
// a CA, a broker certificate it signs for 127.0.0.1 and localhost, the broker's PKCS12 keystore,
// the CA as PEM (kafkajs) and a PKCS12 truststore (Java clients: executors).
//
// Tools, and why: OpenSSL (on every Debian-like system) makes the keys, certificates and the broker's
// keystore in a few milliseconds each; the JDK's keytool writes the truststore, because Java accepts a
// PKCS12 truststore only when its certificates carry the JDK's trusted-key-usage attribute, which
// OpenSSL 3.0 (no -jdktrust) and the npm X.509 libraries do not write. keytool is a JVM start,
// so the truststore is made while the broker starts (`truststore` is a promise). Without a JDK (a
// container broker on a host without Java) Java clients get the CA as a PEM truststore instead.

export interface BrokerTlsMaterial {
  readonly dir: string;
  /** The broker's key and certificate chain. */
  readonly keystore: { readonly location: string; readonly type: 'PKCS12'; readonly password: string };
  /** The CA certificate, PEM (what kafkajs trusts). */
  readonly caPem: string;
  readonly caFile: string;
  /** The CA as a Java truststore (PKCS12 by keytool; PEM when no JDK is found). */
  readonly truststore: Promise<JavaTruststore>;
}

const DAYS = '7';

/** A random password for stores and generated SASL users (URL-safe: no quoting needed in JAAS or properties). */
export function randomPassword(): string {
  const password = randomBytes(18).toString('base64url');
  rememberSecret(password);
  return password;
}

export async function generateTlsMaterial(dir: string, env: Env = process.env): Promise<BrokerTlsMaterial> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const password = randomPassword();
  const file = (name: string) => join(dir, name);
  const openssl = async (args: readonly string[]) => {
    const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
    const result = await execa('openssl', args, {
      reject: false,
      all: true,
      stdin: 'ignore',
      env: { ...env, GAMELAN_STORE_PASSWORD: password },
    }).catch((error: unknown) => ({
      exitCode: -1,
      all: error instanceof Error ? error.message : String(error),
    }));
    if (result.exitCode !== 0) {
      throw new BrokerError(
        'BROKER_START_FAILED',
        `Making the broker's TLS certificates with openssl ${args[0]} failed (${(result.all ?? '').trim().split('\n').slice(-3).join(' ')}). ` +
          'TLS modes need the openssl command (e.g. `apt-get install openssl`).',
      );
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-subj',
    '/CN=gamelan-harness-ca',
    '-days',
    DAYS,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl(['req', ...ec, '-keyout', file('broker.key'), '-out', file('broker.csr'), '-subj', '/CN=localhost']);
  writeFileSync(
    file('broker.ext'),
    `subjectAltName=IP:${LOOPBACK},DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n`,
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    file('broker.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('broker.pem'),
    '-days',
    DAYS,
    '-extfile',
    file('broker.ext'),
  ]);
  await openssl([
    'pkcs12',
    '-export',
    '-in',
    file('broker.pem'),
    '-inkey',
    file('broker.key'),
    '-certfile',
    file('ca.pem'),
    '-name',
    'broker',
    '-out',
    file('broker.p12'),
    '-passout',
    'env:GAMELAN_STORE_PASSWORD',
  ]);
  // Only the keystore holds a key from now on; the CA key is not needed once the broker certificate is signed.
  for (const name of ['ca.key', 'broker.key', 'broker.csr', 'broker.ext', 'ca.srl'])
    rmSync(file(name), { force: true });
  chmodSync(file('broker.p12'), 0o600);
  const caPem = readFileSync(file('ca.pem'), 'utf8');

  const truststore = javaTruststore(file('truststore.p12'), file('ca.pem'), password, env);
  truststore.catch(() => {}); // awaited by the start; a failed start may never get there
  return {
    dir,
    keystore: { location: file('broker.p12'), type: 'PKCS12', password },
    caPem,
    caFile: file('ca.pem'),
    truststore,
  };
}

async function javaTruststore(location: string, caFile: string, password: string, env: Env): Promise<JavaTruststore> {
  let keytool: string;
  try {
    keytool = await findKeytool(env);
  } catch {
    return { location: caFile, type: 'PEM' };
  }
  await runKeytool(
    keytool,
    [
      '-importcert',
      '-noprompt',
      '-alias',
      'gamelan-harness-ca',
      '-file',
      caFile,
      '-keystore',
      location,
      '-storetype',
      'PKCS12',
      '-storepass',
      password,
    ],
    {
      secrets: [password],
    },
  );
  return { location, type: 'PKCS12', password };
}

/** For `doctor`: whether the secure modes can make their certificates here, and with what. */
export async function tlsToolsDiagnosis(
  env: Env = process.env,
): Promise<{ readonly ready: boolean; readonly detail: string }> {
  const { execa } = await import('execa'); // loaded when a process is run: the start path never pays for it
  const openssl = await execa('openssl', ['version'], { reject: false, stdin: 'ignore', timeout: 10_000 }).catch(
    () => undefined,
  );
  const opensslVersion = openssl?.exitCode === 0 ? openssl.stdout.trim().split(' ').slice(0, 2).join(' ') : undefined;
  const keytool = await findKeytool(env).catch(() => undefined);
  if (!opensslVersion)
    return {
      ready: false,
      detail:
        'openssl not found: --security tls|sasl-ssl needs it for the certificates (e.g. `apt-get install openssl`)',
    };
  return {
    ready: true,
    detail: `${opensslVersion} makes the certificates; ${keytool ? `keytool (${keytool}) the Java truststore` : 'no keytool: Java clients get the CA as a PEM truststore'}`,
  };
}

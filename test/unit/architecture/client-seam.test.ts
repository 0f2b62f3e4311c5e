import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, tsFiles } from './imports.js';

// One seam for the Kafka client (issue #19): harness/clients/ is the only folder that imports a Kafka client
// library, its vendored copy, or the kafkajs adapter's own modules. Everything above it speaks
// harness/clients/client-api.ts and makes clients with createClient (harness/clients/create-client.ts).
// Tests may use a client library directly (they need raw clients); shipped code may not.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const clients = join(root, 'harness', 'clients');
/** Shipped TypeScript outside the seam. */
const SHIPPED = ['harness', 'scenarios', 'mocks', 'fixtures'];

/** Files allowed past the seam, and why: the one list, in .dependency-cruiser.cjs (whose client-seam rule layers.test.ts runs). */
const ALLOWED = (
  createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
    clientSeamExceptions: Readonly<Record<string, string>>;
  }
).clientSeamExceptions;

const LIBRARIES = ['kafkajs', '@platformatic/kafka'];

/** Why `specifier`, imported by `file`, crosses the seam; undefined if it does not. */
function seamViolation(file: string, specifier: string): string | undefined {
  if (LIBRARIES.some((library) => specifier === library || specifier.startsWith(`${library}/`)))
    return `the client library ${specifier}`;
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(file), specifier);
  const inClients = relative(clients, target);
  if (inClients.startsWith('..')) return undefined;
  if (inClients.split(sep)[0] === 'vendor') return 'the vendored client copy';
  if (/^kafkajs[^/\\]*\.(?:js|ts)$/.test(inClients)) return 'a module of the kafkajs adapter';
  return undefined;
}

/** The shipped files outside the seam that are checked. */
const checked = (): string[] =>
  SHIPPED.filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) => tsFiles(join(root, dir)))
    .filter((file) => !file.startsWith(clients + sep) && !(relative(root, file).split(sep).join('/') in ALLOWED));

function violations(): string[] {
  return checked().flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const why = seamViolation(file, specifier);
      return why ? [`${relative(root, file)} imports '${specifier}' (${why})`] : [];
    }),
  );
}

describe('one seam for the Kafka client', () => {
  const inHarness = (path: string) => join(root, 'harness', path);

  it('recognises every way across: the libraries, the vendored copy, the kafkajs adapter modules, type-only and dynamic imports', () => {
    const file = inHarness('topics/lag.ts');
    const source = [
      "import type { Admin } from 'kafkajs';",
      "import { Kafka } from 'kafkajs';",
      "const k = await import('@platformatic/kafka');",
      "type T = import('kafkajs').Kafka;",
      "import { x } from '../clients/vendor/kafkajs.cjs';",
      "import { fastPaths } from '../clients/kafkajs.js';",
      "import { y } from '../clients/kafkajs-fixes.js';",
      "import type { KafkaClient } from '../clients/client-api.js';",
      "import { createClient } from '../clients/create-client.js';",
      "import { z } from 'kafkajs-snappy';",
    ].join('\n');
    const found = importSpecifiers(source).filter((specifier) => seamViolation(file, specifier) !== undefined);
    expect(found).toEqual([
      'kafkajs',
      'kafkajs',
      '../clients/vendor/kafkajs.cjs',
      '../clients/kafkajs.js',
      '../clients/kafkajs-fixes.js',
      '@platformatic/kafka',
      'kafkajs',
    ]);
  });

  it('no shipped file outside harness/clients/ imports a Kafka client library or the kafkajs adapter', () => {
    // Not an empty green: the files that used to import kafkajs are among those read.
    const files = checked().map((file) => relative(root, file).split(sep).join('/'));
    expect(files).toEqual(
      expect.arrayContaining([
        'harness/brokers/started.ts',
        'harness/workspace/workspace.ts',
        'harness/recorder/recorder.ts',
        'scenarios/rebalance.ts',
      ]),
    );
    expect(violations()).toEqual([]);
  });

  it('every allowed exception still exists and still needs its exception', () => {
    for (const path of Object.keys(ALLOWED)) {
      const file = join(root, path);
      expect(existsSync(file), path).toBe(true);
      expect(
        importSpecifiers(readFileSync(file, 'utf8')).some((specifier) => seamViolation(file, specifier)),
        path,
      ).toBe(true);
    }
  });

  it('the interface module imports no client library', () => {
    const file = join(clients, 'client-api.ts');
    expect(
      importSpecifiers(readFileSync(file, 'utf8')).filter((specifier) =>
        LIBRARIES.some((library) => specifier.startsWith(library)),
      ),
    ).toEqual([]);
  });
});

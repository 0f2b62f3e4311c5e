import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, tsFiles } from './imports.js';

// brokers/ (starting Kafka) and topics/ (what lives on it) must not import each other: what both
// need lives below them (config/, kafka-distribution/). kafka-distribution/ is below both and
// imports neither. Read from the source, so a new import fails here before it tangles the graph.
// And the stack (harness/stack) is the one place outside brokers/ that chooses and starts a broker.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const harness = join(root, 'harness');

/** The harness folder (first path segment under harness/) a relative specifier of `file` lands in. */
function targetFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(harness, resolve(dirname(file), specifier));
  return target.startsWith('..') ? undefined : target.split(sep)[0];
}

function crossings(from: string, forbidden: readonly string[]): string[] {
  return tsFiles(join(harness, from)).flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8'))
      .filter((specifier) => forbidden.includes(targetFolder(file, specifier) ?? ''))
      .map((specifier) => `${relative(root, file)} imports '${specifier}'`),
  );
}

describe('import boundaries between brokers/ and topics/', () => {
  it('finds static, type-only, re-export, side-effect and dynamic imports', () => {
    const source = [
      "import { a } from '../topics/index.js';",
      "import type { B } from './b.js';",
      "export { c } from '../c.js';",
      "import '../side-effect.js';",
      "const d = await import('../topics/lag.js');",
      "import {\n  e,\n  f,\n} from 'kafkajs';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      '../topics/index.js',
      './b.js',
      '../c.js',
      'kafkajs',
      '../side-effect.js',
      '../topics/lag.js',
    ]);
    expect(targetFolder(join(harness, 'brokers', 'compose.ts'), '../topics/index.js')).toBe('topics');
    expect(targetFolder(join(harness, 'brokers', 'native', 'provider.ts'), '../kraft/index.js')).toBe('brokers');
  });

  it('harness/brokers imports nothing from harness/topics', () => {
    expect(crossings('brokers', ['topics'])).toEqual([]);
  });

  it('harness/topics imports nothing from harness/brokers', () => {
    expect(crossings('topics', ['brokers'])).toEqual([]);
  });

  it('harness/kafka-distribution, below both, imports neither', () => {
    expect(crossings('kafka-distribution', ['brokers', 'topics'])).toEqual([]);
  });
});

describe('who starts a broker', () => {
  const STARTS =
    /\b(?:startBroker|resolveProvider|createProvider)\s*\(|\bnew\s+(?:Native|Container|Compose|External)BrokerProvider\b/;

  it('finds a start', () => {
    expect(STARTS.test("const b = await startBroker('auto', {});")).toBe(true);
    expect(STARTS.test('const p = new NativeBrokerProvider({ env });')).toBe(true);
    expect(STARTS.test("import { startBroker } from '../brokers/index.js';")).toBe(false);
  });

  it('only harness/stack chooses and starts a broker (brokers/ defines how)', () => {
    const starters = tsFiles(harness)
      .filter((file) => !['brokers', 'stack'].includes(relative(harness, file).split(sep)[0]!))
      .filter((file) => STARTS.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(starters).toEqual([]);
  });
});

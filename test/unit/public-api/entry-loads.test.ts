import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_POINTS } from '../../support/entry-points.js';

// What importing an entry loads, recorded by a module hook in a child process (test/support/module-trace.mjs):
// msw and faker are for mocks and builders, so only the entries that offer those may load them.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-entry-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The packages (node_modules/<name>/) resolved by a process that imports these package entries from source. */
async function packagesLoadedBy(...entries: string[]): Promise<Set<string>> {
  const trace = path.join(dir, `${entries.join('+').replaceAll('/', '_')}.txt`);
  const imports = entries
    .map((name) => `await import(${JSON.stringify(`./${ENTRY_POINTS[name]!.replace(/^\.\//, '')}`)});`)
    .join(' ');
  await run(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/module-trace.mjs', '--input-type=module', '-e', imports],
    {
      cwd: root,
      env: { ...process.env, GAMELAN_MODULE_TRACE: trace },
    },
  );
  const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  return new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
}

describe('what importing an entry loads', () => {
  // One child process per case, started together.
  let loads: Set<string>[] = [];
  beforeAll(async () => {
    loads = await Promise.all([
      packagesLoadedBy('gamelan-kafka-harness'),
      packagesLoadedBy('gamelan-kafka-harness/vitest'),
      packagesLoadedBy('gamelan-kafka-harness/mocks', 'gamelan-kafka-harness/fixtures'),
    ]);
  }, 120_000);

  it('the root entry loads no msw and no @faker-js/faker', () => {
    const packages = loads[0]!;
    expect(packages).toContain('zod'); // the trace saw the root's own dependencies
    expect(packages).not.toContain('msw');
    expect(packages).not.toContain('@faker-js/faker');
  });

  // describeExecutorContract loads the contract's modules (and faker, for its seeded cases) when its suite is collected.
  it('gamelan-kafka-harness/vitest loads no msw and no faker (a workspace loads msw when startMocks() is called)', () => {
    const packages = loads[1]!;
    expect(packages).toContain('vitest');
    expect(packages).not.toContain('msw');
    expect(packages).not.toContain('@faker-js/faker');
  });

  it('/mocks loads msw and /fixtures loads faker (what the checks above would see)', () => {
    const packages = loads[2]!;
    expect(packages).toContain('msw');
    expect(packages).toContain('@faker-js/faker');
  });
});

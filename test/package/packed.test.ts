import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as users get it: built, packed, unpacked into a node_modules, imported and run.
const root = path.resolve(import.meta.dirname, '../..');
const consumerDir = path.join(root, '.pack-test'); // inside the project, so dependencies resolve from its node_modules
const installed = path.join(consumerDir, 'node_modules', 'gamelan-kafka-harness');
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: consumerDir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

beforeAll(() => {
  const packDir = mkdtempSync(path.join(tmpdir(), 'gamelan-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: root, stdio: 'pipe' }); // prepack builds dist/
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'))!;
  rmSync(consumerDir, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', installed, '--strip-components=1']);
}, 120_000);

afterAll(() => rmSync(consumerDir, { recursive: true, force: true }));

describe('the packed package', () => {
  it('exports the public API from its root', () => {
    const out = node(['--input-type=module', '-e', "const m = await import('gamelan-kafka-harness'); console.log(JSON.stringify(['startStack','FakeEngine','FakeExecutor','FlowRecorder','defineScenario','runCompleted','TaskProducer','loadConfig','HarnessError'].map((k) => [k, typeof m[k]])))"]);
    expect(JSON.parse(out)).toEqual([
      ['startStack', 'function'],
      ['FakeEngine', 'function'],
      ['FakeExecutor', 'function'],
      ['FlowRecorder', 'function'],
      ['defineScenario', 'function'],
      ['runCompleted', 'function'],
      ['TaskProducer', 'function'],
      ['loadConfig', 'function'],
      ['HarnessError', 'function'],
    ]);
  });

  it('ships types, the vitest entry, JSON Schemas, the AsyncAPI document, the compose file and the broker launcher', () => {
    const files = ['dist/harness/index.d.ts', 'dist/harness/vitest/index.js', 'dist/harness/vitest/index.d.ts', 'schemas/asyncapi.yaml', 'schemas/json/TaskMessage.schema.json', 'docker-compose-kraft.yml', 'harness/brokers/native/java/ParentWatchLauncher.java', 'dist/fixtures/workflows/payment-linear.yaml'];
    const listing = execFileSync('find', ['.', '-type', 'f'], { cwd: installed, encoding: 'utf8' });
    for (const file of files) expect(listing).toContain(`./${file}`);
  });

  it('runs its bin: list shows the bundled scenarios from the compiled files', () => {
    const out = node([path.join(installed, 'dist/harness/cli/main.js'), 'list', '--json']);
    expect((JSON.parse(out) as { name: string; file: string }[]).map((s) => s.name).sort()).toEqual(['lag', 'rebalance', 'replay', 'retries-to-dlq']);
  });

  it('loads a workflow from the packaged fixtures', () => {
    const workflowModule = pathToFileURL(path.join(installed, 'dist/harness/engine/workflow.js')).href;
    const out = node(['--input-type=module', '-e', `const w = await import('${workflowModule}'); console.log([...w.loadWorkflows(w.BUNDLED_WORKFLOWS_DIR).keys()].sort().join(','))`]);
    expect(out.trim()).toBe('bulk-import,order-fan-out,payment-linear');
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../harness/brokers/types.js';
import { commandFor, docBlocks, type DocBlock } from '../support/doc-commands.js';
import { ENTRY_POINTS } from '../support/entry-points.js';
import { startTestBroker } from '../support/broker.js';
import { buildExample, javaUnavailable } from '../integration/contract/support.js';

// The package as users get it before it is published: `npm pack`, then `npm install ./gamelan-kafka-harness-*.tgz`
// in an empty project (dependencies from the npm cache or registry), imported and run there. One pack and one
// install serve every test of the file, including every command README.md and docs/*.md show.
const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'gamelan-pack-'));
const consumerDir = path.join(work, 'my-project');
const installed = path.join(consumerDir, 'node_modules', 'gamelan-kafka-harness');
const quietEnv = {
  ...process.env,
  FORCE_COLOR: '0',
  NO_COLOR: '1',
  GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
  KAFKA_BOOTSTRAP_SERVERS: undefined,
  GAMELAN_TEST_KAFKA: undefined,
  GAMELAN_KAFKA_PROVIDER: undefined,
};
const node = (args: string[]) =>
  execFileSync(process.execPath, args, { cwd: consumerDir, encoding: 'utf8', env: quietEnv });
let broker: StartedBroker | undefined;
/** The packed harness, made once in beforeAll. */
let tarball = '';
/** The vitest major a user on this Node gets: vitest 5 needs Node 22.12 or later. */
const VITEST_MAJOR = Number(process.versions.node.split('.')[0]) >= 22 ? 5 : 4;
const NODE_WARNING = /^\(node:\d+\) (\[[A-Z0-9_]+\] )?\w*Warning: .*$/m;

beforeAll(async () => {
  const packDir = path.join(work, 'pack');
  mkdirSync(packDir);
  execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: root, stdio: 'pipe' }); // prepack builds dist/
  tarball = path.join(
    packDir,
    readdirSync(packDir).find((f) => f.endsWith('.tgz'))!,
  );
  mkdirSync(consumerDir);
  execFileSync('npm', ['init', '-y'], { cwd: consumerDir, stdio: 'pipe' });
  // vitest is the kit's (optional) peer dependency: installed beside it, as the README says, without any flag
  // (a peer range that left the current vitest out failed here with ERESOLVE). The project has its own kafkajs
  // too, which the harness must leave as shipped, and TypeScript to check the kit's typings.
  execFileSync('npm', ['pkg', 'set', 'type=module'], { cwd: consumerDir, stdio: 'pipe' });
  execFileSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      tarball,
      `vitest@^${VITEST_MAJOR}`,
      'kafkajs@2.2.4',
      'typescript@5.9',
    ],
    { cwd: consumerDir, stdio: 'pipe', env: quietEnv },
  );
  cpSync(path.join(root, 'test/fixtures/kit-project'), consumerDir, { recursive: true });
}, 600_000);

afterAll(async () => {
  await broker?.stop();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe(`the test kit in a user project (vitest ${VITEST_MAJOR}, Node ${process.versions.node})`, () => {
  it("type-checks: the matchers' expect.extend typings, the global setup and the workspace", () => {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {
      cwd: consumerDir,
      encoding: 'utf8',
      env: quietEnv,
    });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  });

  it("runs its tests on the global setup's broker, and no Node warning is printed", async () => {
    const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run'], {
      cwd: consumerDir,
      encoding: 'utf8',
      env: quietEnv,
      timeout: 300_000,
    });
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);
    expect(output).toMatch(new RegExp(`v${VITEST_MAJOR}\\.`));
    expect(output).toMatch(/Tests\s+2 passed/);
    expect(output.match(NODE_WARNING)?.[0], output).toBeUndefined();
  }, 300_000);

  it("leaves the user's own kafkajs as shipped: no module replaced, no prototype changed, none of its modules loaded", async () => {
    broker ??= await startTestBroker();
    const entries = Object.keys(ENTRY_POINTS).filter(
      (name) => name !== 'gamelan-kafka-harness/vitest' && name !== 'gamelan-kafka-harness/vitest/global-setup',
    );
    const out = execFileSync(process.execPath, ['kafkajs-untouched.mjs', JSON.stringify(entries)], {
      cwd: consumerDir,
      encoding: 'utf8',
      env: { ...quietEnv, GAMELAN_KAFKA_BOOTSTRAP_SERVERS: broker.bootstrapServers.join(',') },
      timeout: 120_000,
    });
    expect(entries[0]).toBe('gamelan-kafka-harness');
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ completed: true, changed: [], loadedByHarness: [] });
  }, 180_000);
});

describe('the packed package', () => {
  it('exports the public API from its root', () => {
    const out = node([
      '--input-type=module',
      '-e',
      "const m = await import('gamelan-kafka-harness'); console.log(JSON.stringify(['startStack','connectBroker','onBroker','openWorkspace','FakeEngine','FakeExecutor','FlowRecorder','defineScenario','runCompleted','kafkajsClient','readConfig','HarnessError'].map((k) => [k, typeof m[k]])))",
    ]);
    expect(Object.fromEntries(JSON.parse(out) as [string, string][])).toEqual(
      Object.fromEntries(
        [
          'startStack',
          'connectBroker',
          'onBroker',
          'openWorkspace',
          'FakeEngine',
          'FakeExecutor',
          'FlowRecorder',
          'defineScenario',
          'runCompleted',
          'kafkajsClient',
          'readConfig',
          'HarnessError',
        ].map((k) => [k, 'function']),
      ),
    );
  });

  // One name each subpath must have, imported from the installed package by its public name.
  const probes: Record<string, string> = {
    'gamelan-kafka-harness/config': 'parseConfig',
    'gamelan-kafka-harness/protocol': 'TaskProducer',
    'gamelan-kafka-harness/fixtures': 'buildTask',
    'gamelan-kafka-harness/report': 'writeJUnitReport',
    'gamelan-kafka-harness/runner': 'runScenarios',
    'gamelan-kafka-harness/contract': 'checkHandlerContract',
    'gamelan-kafka-harness/brokers': 'startBroker',
    'gamelan-kafka-harness/conformance': 'checkConformance',
    'gamelan-kafka-harness/load': 'runLoad',
    'gamelan-kafka-harness/faults': 'NetworkFaults',
    'gamelan-kafka-harness/mocks': 'startMockServices',
    'gamelan-kafka-harness/vitest': 'useWorkspace',
    'gamelan-kafka-harness/vitest/global-setup': 'default',
  };

  it('has a probe for every subpath of package.json "exports"', () => {
    expect(Object.keys(probes).sort()).toEqual(
      Object.keys(ENTRY_POINTS)
        .filter((name) => name !== 'gamelan-kafka-harness')
        .sort(),
    );
  });

  it.each(Object.entries(probes))('imports %s', (subpath, name) => {
    const out = node([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(subpath)}); console.log(typeof m[${JSON.stringify(name)}])`,
    ]);
    expect(out.trim()).toBe('function');
  });

  // The pack above built dist/; the reports are read from its declarations (api-extractor, one program for all).
  // The declarations are the same on every Node: CI checks them once, in the whole suite (GAMELAN_DOC_COMMANDS says
  // which run that is).
  const apiReportsElsewhere = process.env.GAMELAN_DOC_COMMANDS === 'elsewhere';
  if (apiReportsElsewhere)
    console.log('the API reports: skipped here (GAMELAN_DOC_COMMANDS=elsewhere); CI checks them in the whole suite');
  it.skipIf(apiReportsElsewhere)(
    'has a current API report per entry in api/ (else: npm run build && npm run api:report)',
    () => {
      const check = spawnSync(process.execPath, ['scripts/api-report.mjs', '--check'], { cwd: root, encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain(`${Object.keys(ENTRY_POINTS).length} reports current`);
    },
    120_000,
  );

  it('ships types, JSON Schemas, the AsyncAPI document, the compose file, the broker launcher, the docs and the example scenarios', () => {
    const files = [
      'dist/harness/index.d.ts',
      'dist/harness/entries/protocol.d.ts',
      'dist/harness/entries/vitest.js',
      'dist/harness/entries/vitest.d.ts',
      'schemas/asyncapi.yaml',
      'schemas/json/TaskMessage.schema.json',
      'docker-compose-kraft.yml',
      'harness/brokers/native/java/ParentWatchLauncher.java',
      'dist/fixtures/workflows/payment-linear.yaml',
      'docs/scenarios.md',
      'examples/scenarios/run-completes.ts',
      'LICENSE',
    ];
    for (const file of files) expect(existsSync(path.join(installed, file)), file).toBe(true);
  });

  it('runs its bin: list shows the bundled scenarios, compiled, importing the package by its own name', () => {
    const out = node([path.join(installed, 'dist/harness/cli/main.js'), 'list', '--json']);
    const listed = JSON.parse(out) as { name: string; file: string }[];
    expect(listed.map((s) => s.name)).toEqual(expect.arrayContaining(['lag', 'rebalance', 'replay', 'retries-to-dlq']));
    for (const { file } of listed) expect(file.startsWith(path.join(installed, 'dist/scenarios/'))).toBe(true);
  });

  it('loads a workflow from the packaged fixtures', () => {
    const workflowModule = pathToFileURL(path.join(installed, 'dist/harness/engine/workflow.js')).href;
    const out = node([
      '--input-type=module',
      '-e',
      `const w = await import('${workflowModule}'); console.log([...w.readWorkflows(w.BUNDLED_WORKFLOWS_DIR).keys()].sort().join(','))`,
    ]);
    expect(out.trim()).toBe('bulk-import,order-fan-out,payment-linear');
  });
});

// Every command README.md and docs/*.md show works as written, from a clone and from the installed package.
const docs = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = docBlocks(root, docs);
const where = (b: DocBlock) => `${b.file}:${b.line}`;
/** What the documented commands write into the working directory: removed again in a clone when it was not there before. */
const createdByDocs = ['my-scenarios'];

// CI runs the documented commands once, on its own Node (the whole suite); its run on another Node sets this to
// keep to what differs there (the kit, the install). Skipped by that condition only, and it says so.
const docCommandsElsewhere = process.env.GAMELAN_DOC_COMMANDS === 'elsewhere';
if (docCommandsElsewhere)
  console.log(
    'the documented commands: skipped here (GAMELAN_DOC_COMMANDS=elsewhere); CI runs them in the whole suite on its own Node',
  );

describe.skipIf(docCommandsElsewhere)('the documented commands', () => {
  it('are found, and every skipped block says why', () => {
    expect(blocks.length).toBeGreaterThan(3);
    for (const b of blocks.filter((x) => x.skip !== undefined)) expect(b.skip, where(b)).not.toBe('');
  });

  const runnable = blocks.filter((b) => b.skip === undefined);
  const modes = [
    ['from a clone (npm run harness -- …)', 'clone', root],
    ['from the installed tarball (npx gamelan-harness …)', 'installed', consumerDir],
  ] as const;

  describe.each(modes)('%s', (_label, mode, cwd) => {
    it.each(runnable.filter((b) => mode === 'clone' || !b.cloneOnly).map((b) => [where(b), b] as const))(
      '%s',
      async (_at, block) => {
        if (block.broker) broker ??= await startTestBroker();
        const env = {
          ...quietEnv,
          ...(block.broker ? { GAMELAN_KAFKA_BOOTSTRAP_SERVERS: broker!.bootstrapServers.join(',') } : {}),
        };
        const created = createdByDocs.filter((p) => !existsSync(path.join(cwd, p)));
        try {
          for (const command of block.commands) {
            const line = commandFor(mode, command);
            const result = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 240_000 });
            expect(result.status, `${where(block)} (${mode}): ${line}\n${result.stdout}\n${result.stderr}`).toBe(0);
          }
        } finally {
          // What `up --detach` started is stopped, and what the docs' commands wrote into the clone is removed.
          if (block.commands.some((c) => / up --detach/.test(c)))
            spawnSync('bash', ['-c', commandFor(mode, 'npm run harness -- down')], { cwd, env, encoding: 'utf8' });
          for (const p of created) rmSync(path.join(cwd, p), { recursive: true, force: true });
        }
      },
      600_000,
    );
  });
});

// The shell CI recipe (docs/executor-contract.md, "In your CI") as a user's CI runs it: in this file's user project
// (the tarball installs into an empty one in beforeAll), the packed tarball pinned by its sha256, the bundled Java
// executor, on this file's broker. Its GitHub Actions twin runs the same commands (test/unit/docs/ci-recipes.test.ts).
// Run once in CI, with the documented commands.
const recipeSkip = docCommandsElsewhere
  ? 'GAMELAN_DOC_COMMANDS=elsewhere (CI runs it in the whole suite on its own Node)'
  : javaUnavailable();
if (recipeSkip) console.log(`the CI recipe examples/ci/contract-ci.sh: skipped here: ${recipeSkip}`);

describe.skipIf(recipeSkip !== undefined)('the CI recipe examples/ci/contract-ci.sh', () => {
  it("installs the pinned tarball, leaves package.json as it was, and passes the Java example's contract", async () => {
    broker ??= await startTestBroker();
    const { jar } = await buildExample('java-executor');
    const manifest = readFileSync(path.join(consumerDir, 'package.json'), 'utf8');
    const t0 = Date.now();
    const result = spawnSync('bash', [path.join(root, 'examples/ci/contract-ci.sh')], {
      cwd: consumerDir,
      encoding: 'utf8',
      timeout: 400_000,
      env: {
        ...quietEnv,
        GAMELAN_HARNESS_TARBALL: path.relative(consumerDir, tarball),
        GAMELAN_HARNESS_SHA256: createHash('sha256').update(readFileSync(tarball)).digest('hex'),
        EXECUTOR_CMD: `java -jar ${jar}`,
        EXECUTOR_TYPE: 'payment-processor',
        GAMELAN_KAFKA_BOOTSTRAP_SERVERS: broker.bootstrapServers.join(','),
        // What beforeAll's install fetched; the recipe itself runs unchanged.
        npm_config_prefer_offline: 'true',
      },
    });
    const output = `${result.stdout}\n${result.stderr}`;
    console.log(
      `the CI recipe: ${((Date.now() - t0) / 1000).toFixed(1)} s, of which the contract's cases ${/Executor contract for type "[^"]+" \(([\d.]+ s)/.exec(output)?.[1] ?? '?'}`,
    );
    expect(result.status, output).toBe(0);
    expect(readFileSync(path.join(consumerDir, 'package.json'), 'utf8')).toBe(manifest);
    expect(output).toMatch(/12 passed, 0 failed/);
    expect(readFileSync(path.join(consumerDir, 'reports/contract.xml'), 'utf8')).toMatch(
      /<testsuite name="gamelan-contract\.payment-processor"[^>]* tests="12" failures="0"/,
    );
  }, 600_000);
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { SCENARIO_NAME } from './define.js';

// `gamelan-harness new scenario <name>`: a typed starter file that imports only the package's public entry
// and passes when run, so a new user starts from something green and changes it step by step.

export interface ScenarioStarterOptions {
  /** The directory to write into (created when missing). */
  readonly dir: string;
}

export interface WrittenStarter {
  readonly file: string;
  /** Why the extension is what it is (`.ts` in an ES module package, else `.mts`). */
  readonly extensionReason: string;
}

/** Write `<dir>/<name>.ts` (or `.mts`); refuses a bad name and an existing file (ConfigError, exit 2 in the CLI). */
export function writeScenarioStarter(name: string, options: ScenarioStarterOptions): WrittenStarter {
  if (!SCENARIO_NAME.test(name)) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `scenario name ${JSON.stringify(name)} is not allowed: use lower-case letters a-z, digits 0-9 and "-", starting with a letter or digit (kebab-case, e.g. "order-retries").`,
      { key: 'name', value: name },
    );
  }
  const dir = path.resolve(options.dir);
  const { extension, reason } = starterExtension(dir);
  const file = path.join(dir, `${name}${extension}`);
  const existing = ['.ts', '.mts', '.js', '.mjs']
    .map((ext) => path.join(dir, `${name}${ext}`))
    .find((f) => existsSync(f));
  if (existing) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${existing} already exists: the starter never overwrites a file. Pick another name, or another --dir.`,
      {
        file: existing,
        key: 'name',
        value: name,
      },
    );
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, scenarioStarterSource(name), { flag: 'wx' });
  return { file, extensionReason: reason };
}

/**
 * A `.ts` file is an ES module only where the nearest package.json says `"type": "module"`; elsewhere tsx compiles it
 * to CommonJS, and the harness (ES modules only) cannot be required from there. `.mts` is an ES module everywhere.
 */
function starterExtension(dir: string): { extension: '.ts' | '.mts'; reason: string } {
  for (let at = dir; ; at = path.dirname(at)) {
    const manifest = path.join(at, 'package.json');
    if (existsSync(manifest)) {
      const type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      return type === 'module'
        ? { extension: '.ts', reason: `${manifest} has "type": "module"` }
        : {
            extension: '.mts',
            reason: `${manifest} is not "type": "module", so the file is .mts (an ES module either way)`,
          };
    }
    if (path.dirname(at) === at)
      return { extension: '.mts', reason: 'no package.json above it, so the file is .mts (an ES module either way)' };
  }
}

/** The starter: one run of the bundled bulk-import workflow on one fake executor, checked by a matcher. */
export function scenarioStarterSource(name: string): string {
  return `import { behaviours, defineScenario, runCompleted } from 'gamelan-kafka-harness';

// A starter scenario: \`gamelan-harness run <this file or its directory>\` plays it in a workspace of its own
// (its own five topics and groups on the broker, a recorder, a seeded faker, the msw mocks).
// The ScenarioContext reference and worked examples: docs/scenarios.md in gamelan-kafka-harness.
export default defineScenario({
  name: '${name}',
  description: 'One run of the bundled bulk-import workflow completes on one fake executor.',
  timeoutMs: 60_000,
  async run(ctx) {
    const engine = await ctx.step('start the engine and one import executor', async () => {
      await ctx.startExecutor({ executorType: 'import-executor', handler: behaviours.succeed({ imported: true }) });
      return ctx.startEngine();
    });

    const { runId } = await ctx.step('start a run', () => engine.startRun('bulk-import', { tenantId: 'acme', context: { row: ctx.faker.number.int({ max: 1000 }) } }));
    ctx.log(\`run \${runId} started\`);

    await ctx.step('the run completes', () => ctx.check(runCompleted(ctx.recorder, runId)));
  },
});
`;
}

import ts from 'typescript';
import { defineConfig } from 'vitest/config';

// The package's own entry points (`gamelan-kafka-harness`, `gamelan-kafka-harness/protocol`, …) resolve to the
// sources, from tsconfig.json "paths" (the one list; tsx and tsc read it too). Exact matches, so a subpath is
// never taken for the root.
const { config: tsconfig } = ts.readConfigFile(new URL('tsconfig.json', import.meta.url).pathname, ts.sys.readFile);
const paths = (tsconfig.compilerOptions?.paths ?? {}) as Record<string, string[]>;
const packageEntries = Object.entries(paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name.replace(/[/.-]/g, '\\$&')}$`),
  replacement: new URL(target!, import.meta.url).pathname,
}));
const resolve = { alias: packageEntries };
// Every project fails its run on a Node warning the harness causes (test/support/warnings).
const failOnWarnings = './test/support/warnings/global-setup.ts';

// Unit tests need no broker; integration tests boot one real broker per file, so they run
// one file at a time on a 2-core machine and get generous hook timeouts for JVM start.
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: [failOnWarnings],
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/package/**/*.test.ts'],
          globalSetup: [failOnWarnings],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The test kit as users wire it: one broker for the run from the bundled globalSetup.
        resolve,
        test: {
          name: 'kit',
          include: ['test/kit/**/*.test.ts'],
          globalSetup: [failOnWarnings, './test/kit/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

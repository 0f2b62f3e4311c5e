import { defineConfig } from 'vitest/config';

// Unit tests need no broker; integration tests boot one real broker per file, so they run
// one file at a time on a 2-core machine and get generous hook timeouts for JVM start.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/package/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The test kit as users wire it: one broker for the run from the bundled globalSetup.
        test: {
          name: 'kit',
          include: ['test/kit/**/*.test.ts'],
          globalSetup: ['./test/kit/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

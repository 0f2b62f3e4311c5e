import { defineConfig } from 'vitest/config';

// A user's vitest project with the fault proxy on container brokers: run by ../../container/use-faults-kit.test.ts
// in a child vitest.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.kit.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

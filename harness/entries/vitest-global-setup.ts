// `gamelan-kafka-harness/vitest/global-setup`: a vitest globalSetup that starts one broker for the whole test run
// (the default export), or `createGlobalSetup(options)` for your own setup file.
export {
  createGlobalSetup,
  default,
  parseGlobalSetupOptions,
  type GamelanGlobalSetupOptions,
} from '../vitest/global-setup.js';

// yargs, as the CLI loads it. In dist/ the build replaces this module's output with one file holding
// yargs and its dependencies (scripts/bundle-cli-runtime.mjs): Node's ES module loader pays per file, and
// `--help` and every bad input load yargs' many files before anything else.
// From the sources (tsx, tests) it is a plain re-export.
export { default as yargs } from 'yargs';
export { hideBin } from 'yargs/helpers';

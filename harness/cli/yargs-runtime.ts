// yargs, as the CLI loads it. In dist/ the build replaces this module's output with one file holding
// yargs and its dependencies (scripts/bundle-cli-runtime.mjs): Node 20's ES module loader spends about
// 1 ms on each of yargs' ~50 files, which `--help` and every bad input paid before anything else.
// From the sources (tsx, tests) it is a plain re-export.
export { default as yargs } from 'yargs';
export { hideBin } from 'yargs/helpers';

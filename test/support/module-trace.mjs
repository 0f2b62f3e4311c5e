// `node --import ./test/support/module-trace.mjs …`: appends the URL of every module the process
// resolves to the file named by GAMELAN_MODULE_TRACE, so a test can tell what a command loaded.
import { register } from 'node:module';

if (process.env.GAMELAN_MODULE_TRACE) register('./module-trace-hooks.mjs', import.meta.url);

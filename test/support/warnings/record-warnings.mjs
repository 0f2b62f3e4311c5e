// Loaded into every Node process of a test run (NODE_OPTIONS --import, set by ./global-setup.ts): each warning the
// process emits is written to the run's warnings file as well as printed as usual. npm's own processes are left
// out: their warnings are npm's, not the harness's.
import { appendFileSync } from 'node:fs';

const file = process.env.GAMELAN_TEST_WARNINGS_FILE;
const npm = /[\\/](npm|npx)(-cli)?(\.js)?$|[\\/]node_modules[\\/]npm[\\/]/;
if (file && !npm.test(process.argv[1] ?? '')) {
  process.on('warning', (warning) => {
    const record = {
      pid: process.pid,
      node: process.version,
      argv: process.argv.slice(1, 4),
      name: warning.name,
      message: warning.message,
      stack: warning.stack,
    };
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  });
}

// After tsc: the non-TypeScript files the compiled code reads at run time, at the same
// relative paths under dist/ (workflows, golden messages, sample configurations, the harness's kafkajs copy).
import { cpSync, writeFileSync } from 'node:fs';

for (const dir of ['fixtures/workflows', 'fixtures/messages', 'fixtures/config', 'harness/clients/vendor']) {
  cpSync(dir, `dist/${dir}`, { recursive: true, filter: (src) => !src.endsWith('.ts') });
}

// The build is complete: `npm run harness` runs dist/ while no source is newer than this stamp.
writeFileSync('dist/.harness-built', `${new Date().toISOString()}\n`);

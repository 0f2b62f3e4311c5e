// After tsc: the non-TypeScript files the compiled code reads at run time, at the same
// relative paths under dist/ (workflows, golden messages, sample configurations).
import { cpSync } from 'node:fs';

for (const dir of ['fixtures/workflows', 'fixtures/messages', 'fixtures/config']) {
  cpSync(dir, `dist/${dir}`, { recursive: true, filter: (src) => !src.endsWith('.ts') });
}

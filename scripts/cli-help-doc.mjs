// Pastes each command's `--help` into docs/cli.md ("Options of each command": the ```text block under each
// `### \`<command>\`` heading), so the page says what the CLI prints. `--check` exits 1 when a block is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const page = path.join(root, 'docs/cli.md');
const help = (...args) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args, '--help'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', COLUMNS: '100' },
  }).trimEnd();

/** Options every command has: the page names them once, above the sections. */
const GLOBAL = /^ {2}(?:-[a-zA-Z], | {4})?--(version|verbose|log-level|help)\b/;

/** A command's help without the global options (each with its continuation lines). */
function commandHelp(command) {
  const out = [];
  let skipping = false;
  for (const line of help(command).split('\n')) {
    if (/^ {2}(?:-| {4}-)/.test(line) || !line.startsWith('   ')) skipping = GLOBAL.test(line);
    if (!skipping) out.push(line);
  }
  return out.join('\n');
}

let text = readFileSync(page, 'utf8');
const before = text;
for (const [, command] of help().matchAll(/^ {2}gamelan-harness ([a-z-]+)/gm)) {
  const heading = `\n### \`${command}\`\n`;
  const at = text.indexOf(heading);
  if (at < 0) continue; // the cli-options test names a missing section
  const open = text.indexOf('```text\n', at);
  const close = text.indexOf('\n```', open + 8);
  const next = text.indexOf('\n### ', at + heading.length);
  if (open < 0 || (next >= 0 && open > next)) continue;
  text = `${text.slice(0, open + 8)}${commandHelp(command)}${text.slice(close)}`;
}
if (process.argv.includes('--check')) process.exit(text === before ? 0 : 1);
if (text !== before) writeFileSync(page, text);
console.log(text === before ? 'docs/cli.md: help blocks up to date' : 'docs/cli.md: help blocks updated');

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// docs/cli.md documents every command and every option: each command the CLI lists has a `### \`<command>\``
// section under "Options of each command", and each option its --help prints is named there. A new option (or
// command) fails here until the page says what it does.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const page = readFileSync(path.join(root, 'docs/cli.md'), 'utf8');
const help = async (...args: string[]) =>
  (
    await run(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args, '--help'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', COLUMNS: '100' },
    })
  ).stdout;
/** Options every command has; the page names them once, above the sections. */
const GLOBAL = ['--version', '--verbose', '--log-level', '--help'];

const section = (command: string) => page.split(`\n### \`${command}\`\n`)[1]?.split('\n## ')[0]?.split('\n### ')[0];

describe('docs/cli.md', async () => {
  const commands = [...(await help()).matchAll(/^ {2}gamelan-harness ([a-z-]+)/gm)].map((m) => m[1]!);

  it('finds the commands', () =>
    expect(commands).toEqual(expect.arrayContaining(['run', 'up', 'contract', 'conformance'])));

  it('names the options every command has', () => {
    for (const option of GLOBAL) expect(page).toContain(`\`${option}`);
  });

  it("shows each command's --help as the CLI prints it (node scripts/cli-help-doc.mjs pastes them)", async () => {
    await expect(run(process.execPath, ['scripts/cli-help-doc.mjs', '--check'], { cwd: root })).resolves.toBeDefined();
  }, 120_000);

  it.each(commands)(
    'documents %s and every option it takes',
    async (command) => {
      const documented = section(command);
      expect(documented, `docs/cli.md has no "### \`${command}\`" section`).toBeDefined();
      const options = [...(await help(command)).matchAll(/^ {2}(?:-[a-zA-Z], | {4})?(--[a-z][a-z-]*)/gm)]
        .map((m) => m[1]!)
        .filter((o) => !GLOBAL.includes(o));
      expect(options.length, `${command} --help lists no option`).toBeGreaterThan(0);
      expect(
        options.filter((o) => !new RegExp(`${o}(?![a-z-])`).test(documented!)),
        `options of ${command} missing from docs/cli.md`,
      ).toEqual([]);
    },
    60_000,
  );
});

import { readFileSync } from 'node:fs';
import path from 'node:path';

// The shell commands README.md and docs/*.md show, as test/package/packed.test.ts runs them. A fenced sh/bash
// block may be preceded by a directive the test reads (invisible on the rendered page):
//   <!-- doc-commands: skip <why> -->   not run (a placeholder such as your executor's jar, or `npm ci`)
//   <!-- doc-commands: broker -->       run against the test's broker (GAMELAN_KAFKA_BOOTSTRAP_SERVERS)
//   <!-- doc-commands: clone -->        run only from a clone (it names paths inside the repository)
// (`broker clone` combines both). Blocks without a harness command are not run.

export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** Shell lines, continuation lines joined. */
  readonly commands: readonly string[];
  readonly skip?: string;
  readonly broker: boolean;
  readonly cloneOnly: boolean;
}

const HARNESS_COMMAND = /(^|[|&;(]\s*)(npm run harness --|npx gamelan-harness|gamelan-harness)(\s|$)/;

export function docBlocks(root: string, files: readonly string[]): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const file of files) {
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(sh|bash|shell)\s*$/.test(lines[i]!)) continue;
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
      const commands = body
        .join('\n')
        .replace(/\\\n\s*/g, '')
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
      if (!commands.some((c) => HARNESS_COMMAND.test(c))) continue;
      let before = start - 1;
      while (before >= 0 && lines[before]!.trim() === '') before--;
      const directive = /^<!-- doc-commands: (.*?) -->$/.exec(lines[before]?.trim() ?? '')?.[1]?.trim() ?? '';
      const skip = /^skip\b\s*(.*)$/.exec(directive);
      const words = directive.split(/\s+/);
      blocks.push({
        file,
        line: start + 1,
        commands,
        ...(skip ? { skip: skip[1] } : {}),
        broker: words.includes('broker'),
        cloneOnly: words.includes('clone'),
      });
    }
  }
  return blocks;
}

/** A documented command as it is typed from a clone (`npm run harness -- …`) or in a project that installed the package (`npx gamelan-harness …`). */
export function commandFor(where: 'clone' | 'installed', command: string): string {
  if (where === 'clone')
    return command.replace(/(^|[|&;(]\s*)(npx gamelan-harness|gamelan-harness)(?=\s|$)/g, '$1npm run harness --');
  return command.replace(/(^|[|&;(]\s*)(npm run harness --|gamelan-harness)(?=\s|$)/g, '$1npx gamelan-harness');
}

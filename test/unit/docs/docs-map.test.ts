import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The README is the front door and docs/ the manual (#20): the README stays short, the manual has its pages, and
// every relative link in either lands on a file that exists and, for `#anchor`, on a heading of that file.
const root = path.resolve(import.meta.dirname, '../../..');
const pages = readdirSync(path.join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const docs = ['README.md', ...pages];
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The text outside fenced code blocks (a `[x](y)` inside code is not a link). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's anchors for a file's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = match[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  readonly from: string;
  readonly line: number;
  readonly target: string;
}

function linksOf(file: string): Link[] {
  const text = prose(read(file));
  const links: Link[] = [];
  for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
    links.push({ from: file, line: text.slice(0, match.index).split('\n').length, target });
  }
  return links;
}

const links = docs.flatMap(linksOf);

describe('README and docs/', () => {
  it('the README is a front door: at most 250 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(250);
  });

  it('docs/ is a manual of at least 8 pages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(8);
  });

  it('the README links every page of docs/', () => {
    const readme = read('README.md');
    expect(pages.filter((page) => !readme.includes(`](${page}`))).toEqual([]);
  });

  it('finds links and anchors', () => {
    expect(links.length).toBeGreaterThan(20);
    expect([
      ...anchorsOf('# A `b` and c\n## Faults from the CLI\n## Faults from the CLI\n```sh\n# not a heading\n```'),
    ]).toEqual(['a-b-and-c', 'faults-from-the-cli', 'faults-from-the-cli-1']);
  });

  it('every relative link resolves to a file and, with #anchor, to a heading of it', () => {
    const broken: string[] = [];
    for (const link of links) {
      const [file, anchor] = link.target.split('#') as [string, string | undefined];
      const target =
        file === '' ? link.from : path.posix.normalize(path.posix.join(path.posix.dirname(link.from), file));
      const where = `${link.from}:${link.line} → ${link.target}`;
      if (!existsSync(path.join(root, target))) {
        broken.push(`${where}: no file ${target}`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (!target.endsWith('.md') || statSync(path.join(root, target)).isDirectory()) {
        broken.push(`${where}: an anchor on a file that is not markdown`);
        continue;
      }
      if (!anchorsOf(read(target)).has(anchor)) broken.push(`${where}: ${target} has no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });
});

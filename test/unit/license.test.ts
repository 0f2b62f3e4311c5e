import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('LICENSE', () => {
  it('is the full Apache License 2.0 text, as package.json declares', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { license: string };
    const text = readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(pkg.license).toBe('Apache-2.0');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    // All nine sections and the appendix: the whole text, not a notice.
    for (const section of [
      '1. Definitions.',
      '4. Redistribution.',
      '9. Accepting Warranty or Additional Liability.',
      'END OF TERMS AND CONDITIONS',
      'APPENDIX: How to apply the Apache License to your work.',
    ]) {
      expect(text).toContain(section);
    }
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, KNOWN_KEYS } from '../../../harness/config/index.js';
import { kebabToCamel } from '../../../harness/config/keys.js';

// The README's configuration reference is written by hand; this keeps it true to the schema.
const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
const row = (key: string) => readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));

describe('README configuration reference', () => {
  it.each(KNOWN_KEYS)('documents %s with its default', (key) => {
    const line = row(key);
    expect(line, `README has no row for gamelan.kafka.${key}`).toBeDefined();
    const value = key
      .split('.')
      .map(kebabToCamel)
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], DEFAULT_CONFIG);
    expect(line).toContain(`\`${String(value)}\``);
  });
});

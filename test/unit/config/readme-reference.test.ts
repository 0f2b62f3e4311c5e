import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, KNOWN_KEYS } from '../../../harness/config/index.js';
import { kebabToCamel } from '../../../harness/config/keys.js';

// The configuration reference of docs/configuration.md is written by hand; this keeps it true to the schema.
const page = readFileSync(path.resolve(import.meta.dirname, '../../../docs/configuration.md'), 'utf8');
const row = (key: string) => page.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));

describe('docs/configuration.md configuration reference', () => {
  it.each(KNOWN_KEYS)('documents %s with its default', (key) => {
    const line = row(key);
    expect(line, `docs/configuration.md has no row for gamelan.kafka.${key}`).toBeDefined();
    const value = key
      .split('.')
      .map(kebabToCamel)
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], DEFAULT_CONFIG);
    expect(line).toContain(`\`${String(value)}\``);
  });
});

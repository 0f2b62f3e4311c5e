import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, topicNames } from '../../../harness/config/index.js';
import { TOPIC_ROLES } from '../../../harness/vocabulary.js';
import {
  asyncApiDocument,
  jsonSchemaFor,
  MESSAGE_TYPES,
  renderSchemaFiles,
  staleSchemaFiles,
} from '../../../harness/protocol/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('published schemas', () => {
  it('schemas/ is current (run `npm run schemas:generate` if this fails)', () => {
    expect(staleSchemaFiles(root)).toEqual([]);
    for (const [file, content] of renderSchemaFiles())
      expect(readFileSync(path.join(root, file), 'utf8')).toBe(content);
  });

  it('has a JSON Schema for each message, ErrorInfo and ExecutionStatus', () => {
    const files = [...renderSchemaFiles().keys()];
    for (const name of [...MESSAGE_TYPES, 'ErrorInfo', 'ExecutionStatus'])
      expect(files).toContain(`schemas/json/${name}.schema.json`);
  });

  it('lists upstream Java names as alternatives for required fields', () => {
    const schema = jsonSchemaFor('TaskMessage') as {
      required: string[];
      properties: Record<string, unknown>;
      allOf: unknown[];
    };
    expect(schema.properties).toHaveProperty('executionToken');
    expect(schema.required).not.toContain('token');
    expect(schema.allOf).toContainEqual({ anyOf: [{ required: ['token'] }, { required: ['executionToken'] }] });
  });

  it('AsyncAPI 3 document: five channels at the configured topic names, keys and messages', () => {
    const doc = parse(readFileSync(path.join(root, 'schemas/asyncapi.yaml'), 'utf8')) as ReturnType<
      typeof asyncApiDocument
    > & {
      channels: Record<string, { address: string; messages: Record<string, unknown> }>;
      components: { messages: Record<string, { bindings: { kafka: { key: { description: string } } } }> };
    };
    expect(doc.asyncapi).toBe('3.0.0');
    const names = topicNames(DEFAULT_CONFIG);
    expect(Object.keys(doc.channels)).toEqual([...TOPIC_ROLES]);
    for (const role of TOPIC_ROLES) expect(doc.channels[role]!.address).toBe(names[role]);
    expect(doc.components.messages.TaskMessage!.bindings.kafka.key.description).toMatch(/^runId /);
    expect(doc.components.messages.StatusUpdateMessage!.bindings.kafka.key.description).toMatch(/^tenantId /);
    expect(doc.components.messages.DeadLetterRecord!.bindings.kafka.key.description).toMatch(/original record key/);
  });

  it('follows a renamed configuration', () => {
    const doc = asyncApiDocument({ ...DEFAULT_CONFIG, tasks: { topic: 'acme.tasks' } }) as {
      channels: Record<string, { address: string }>;
    };
    expect(doc.channels.tasks!.address).toBe('acme.tasks');
  });
});

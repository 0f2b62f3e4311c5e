import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

// Workflow definitions the fake engine runs: nodes with an executor type, and edges. A node
// starts when every node with an edge into it has completed (fan-in); entry nodes start first.

const identifier = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._-]+$/, 'must use only letters, digits, ".", "_" and "-"');

export const workflowSchema = z.strictObject({
  id: identifier,
  description: z.string().default(''),
  nodes: z
    .array(
      z.strictObject({
        // No ":" (the identifier rule): task ids are runId:nodeId:attempt.
        id: identifier,
        executor: identifier,
        /** A result must arrive this long after the task was published, or the attempt timed out. */
        timeoutMs: z.number().int().positive().default(30_000),
      }),
    )
    .min(1),
  edges: z.array(z.strictObject({ from: identifier, to: identifier })).default([]),
});

export type WorkflowDefinition = z.output<typeof workflowSchema>;
export type WorkflowNode = WorkflowDefinition['nodes'][number];

/** Validate a definition's shape and graph (known nodes, unique ids, no cycle). */
export function parseWorkflow(input: unknown, source: string): WorkflowDefinition {
  const parsed = workflowSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const value = issue.path.reduce<unknown>((n, k) => (n as Record<PropertyKey, unknown> | undefined)?.[k], input);
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${source}: ${field || '(root)'} = ${JSON.stringify(value)} is not allowed: ${issue.message}`,
      {
        file: source,
        key: field,
        value,
      },
    );
  }
  const workflow = parsed.data;
  const ids = workflow.nodes.map((n) => n.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) invalid(source, 'nodes', duplicate, 'node ids must be unique');
  workflow.edges.forEach((edge, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!ids.includes(edge[end]))
        invalid(source, `edges.${i}.${end}`, edge[end], `must name a node (${ids.join(', ')})`);
    }
  });
  if (topologicalOrder(workflow).length !== ids.length)
    invalid(source, 'edges', workflow.edges, 'the graph must not have a cycle');
  return workflow;
}

function invalid(source: string, key: string, value: unknown, allowed: string): never {
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${source}: ${key} = ${JSON.stringify(value)} is not allowed: ${allowed}`,
    {
      file: source,
      key,
      value,
    },
  );
}

export function predecessors(workflow: WorkflowDefinition, nodeId: string): string[] {
  return workflow.edges.filter((e) => e.to === nodeId).map((e) => e.from);
}

export function successors(workflow: WorkflowDefinition, nodeId: string): string[] {
  return workflow.edges.filter((e) => e.from === nodeId).map((e) => e.to);
}

export function entryNodes(workflow: WorkflowDefinition): WorkflowNode[] {
  return workflow.nodes.filter((n) => predecessors(workflow, n.id).length === 0);
}

function topologicalOrder(workflow: WorkflowDefinition): string[] {
  const order: string[] = [];
  const indegree = new Map(workflow.nodes.map((n) => [n.id, predecessors(workflow, n.id).length]));
  const ready = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of successors(workflow, id)) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) ready.push(next);
    }
  }
  return order;
}

export function readWorkflow(file: string): WorkflowDefinition {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      'CONFIG_PARSE_FAILED',
      `${file}: cannot read workflow definition: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  }
  return parseWorkflow(raw, file);
}

/** Every *.yaml / *.yml / *.json definition in a directory, by id. */
export function readWorkflows(dir: string): Map<string, WorkflowDefinition> {
  const out = new Map<string, WorkflowDefinition>();
  for (const name of readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()) {
    const workflow = readWorkflow(path.join(dir, name));
    out.set(workflow.id, workflow);
  }
  return out;
}

export const BUNDLED_WORKFLOWS_DIR = path.resolve(import.meta.dirname, '../../fixtures/workflows');

import { z } from 'zod';
import { identifier, instant, JAVA_INT_MAX, jsonObject, optional, token } from '../wire.js';

/** Task ids are `runId:nodeId:attempt`. */
export const taskIdOf = (runId: string, nodeId: string, attempt: number): string => `${runId}:${nodeId}:${attempt}`;

export const attempt = z.int().min(0).max(JAVA_INT_MAX).meta({ description: 'Retry attempt number (Java int, ≥ 0).' });

/** Adds the `taskId = runId:nodeId:attempt` rule to a message object schema. */
export function checkTaskId(
  value: { taskId: string; runId: string; nodeId: string; attempt: number },
  ctx: z.RefinementCtx,
): void {
  const expected = taskIdOf(value.runId, value.nodeId, value.attempt);
  if (value.taskId !== expected) {
    ctx.addIssue({
      code: 'custom',
      path: ['taskId'],
      message: `must be runId:nodeId:attempt, i.e. "${expected}"`,
      input: value.taskId,
    });
  }
}

/**
 * A task assignment the engine publishes on the tasks topic (key: runId). Written with the spec's field
 * names; the reader also accepts the upstream Java record names `executionToken` (→ token) and
 * `scheduledAt` (→ createdAt).
 */
export const TaskMessageSchema = z
  .object({
    taskId: identifier('Unique task identifier: runId:nodeId:attempt.'),
    runId: identifier('Workflow run id; the record key.'),
    nodeId: identifier('Node being executed.'),
    attempt,
    token,
    context: optional(jsonObject('Input data of the node.')),
    targetExecutor: optional(identifier('Executor type that should run the task.')),
    createdAt: instant('When the task was created.'),
  })
  .superRefine(checkTaskId)
  .meta({
    id: 'TaskMessage',
    title: 'TaskMessage',
    description: 'A task assignment sent to executors (topic role: tasks, key: runId).',
  });

export const TASK_MESSAGE_ALIASES = { executionToken: 'token', scheduledAt: 'createdAt' } as const;

export type TaskMessage = z.output<typeof TaskMessageSchema>;
export type TaskMessageWire = z.input<typeof TaskMessageSchema>;

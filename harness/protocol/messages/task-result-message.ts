import { z } from 'zod';
import { duration, identifier, instant, jsonObject, optional, token } from '../wire.js';
import { ErrorInfoSchema } from './error-info.js';
import { ExecutionStatusSchema } from './execution-status.js';
import { attempt, checkTaskId } from './task-message.js';

/**
 * The result of a task, published by an executor on the results topic (key: runId). `executionTime` is
 * seconds: written as decimal seconds (Jackson's default for Duration), read from decimal seconds or ISO-8601.
 * The reader also accepts the upstream Java record name `executionToken` (→ token).
 */
export const TaskResultMessageSchema = z
  .object({
    taskId: identifier('Original task id: runId:nodeId:attempt.'),
    runId: identifier('Workflow run id; the record key.'),
    nodeId: identifier('Executed node.'),
    attempt,
    token,
    status: ExecutionStatusSchema,
    output: optional(jsonObject('Output data of the node.')),
    error: optional(ErrorInfoSchema),
    executionTime: optional(duration('How long execution took.')),
    executorId: optional(identifier('Which executor ran the task.')),
    completedAt: instant('When execution completed.'),
  })
  .superRefine(checkTaskId)
  .meta({
    id: 'TaskResultMessage',
    title: 'TaskResultMessage',
    description: 'A task execution result (topic role: results, key: runId).',
  });

export const TASK_RESULT_MESSAGE_ALIASES = { executionToken: 'token' } as const;

export type TaskResultMessage = z.output<typeof TaskResultMessageSchema>;
export type TaskResultMessageWire = z.input<typeof TaskResultMessageSchema>;

import { z } from 'zod';

/** Java `enum ExecutionStatus`, written and read by name (Jackson's default for enums). */
export const EXECUTION_STATUSES = ['SUCCESS', 'FAILURE', 'TIMEOUT'] as const;

export const ExecutionStatusSchema = z
  .enum(EXECUTION_STATUSES)
  .meta({ id: 'ExecutionStatus', title: 'ExecutionStatus', description: 'Outcome of a task execution, by enum name.' });

export type ExecutionStatus = z.output<typeof ExecutionStatusSchema>;

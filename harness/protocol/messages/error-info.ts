import { z } from 'zod';
import { identifier, jsonObject, optional } from '../wire.js';

/**
 * Why a task failed or timed out (`TaskResultMessage.error`). `code` is a stable, machine-matchable
 * identifier (e.g. `PAYMENT_DECLINED`), `message` is for people; `stackTrace` and `context` are optional.
 */
export const ErrorInfoSchema = z
  .object({
    code: identifier('Stable error code, e.g. PAYMENT_DECLINED.'),
    message: z.string().meta({ description: 'Human-readable description of the failure.' }),
    stackTrace: optional(z.string().meta({ description: 'Stack trace of the failure, if the executor shares it.' })),
    context: optional(jsonObject('Structured details of the failure.')),
  })
  .meta({ id: 'ErrorInfo', title: 'ErrorInfo', description: 'Error details of a failed or timed-out task.' });

export type ErrorInfo = z.output<typeof ErrorInfoSchema>;
export type ErrorInfoWire = z.input<typeof ErrorInfoSchema>;

import { z } from 'zod';
import { checkBootstrapServers } from './bootstrap.js';
import { MAX_BROKERS, MIN_BROKERS } from './broker-count.js';

// The zod schemas of single configuration values, for callers that compose zod schemas (the vitest
// global setup's options, library users). The checks themselves are plain code in bootstrap.ts and
// broker-count.ts: the CLI's option layer uses those without loading zod.

/** A bootstrap servers value: a string → its `host:port` entries (at least one). */
export const bootstrapServersSchema = z.string().transform((value, ctx): string[] => {
  const checked = checkBootstrapServers(value);
  if ('servers' in checked) return checked.servers;
  ctx.addIssue({ code: 'custom', message: checked.problem });
  return z.NEVER;
});

/** A broker count: an integer from MIN_BROKERS to MAX_BROKERS. */
export const brokerCountSchema = z.number().int().min(MIN_BROKERS).max(MAX_BROKERS);

import { dialectNamed } from '../protocol/dialects/read.js';
import type { DialectName } from '../vocabulary.js';
import type { RunKeyedRole } from './types.js';

const RUN_KEYED_ROLES: readonly RunKeyedRole[] = ['tasks', 'results', 'events'];

/**
 * The roles on which a dialect promises per-run order: those it keys by runId (one partition per run, so log
 * order is publish order). spec: tasks, results, events; upstream: tasks and results (events are unkeyed).
 */
export function orderedByRunFor(dialect: DialectName): readonly RunKeyedRole[] {
  const { messages } = dialectNamed(dialect);
  return RUN_KEYED_ROLES.filter((role) => {
    const key = messages[role].key;
    return key.kind === 'field' && key.field === 'runId';
  });
}

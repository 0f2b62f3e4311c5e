import type { RecordedFlow } from './flow.js';
import { fail, type MatchResult, pass, show } from './result.js';

/**
 * Every message on the five topics matches its message schema: it decoded (JSON, the dialect's schema of its
 * topic's message) and its key is the one the protocol asks for. Records already dead-lettered as poison can be excused by topic.
 */
export function everyMessageMatchesSchema(
  recorder: RecordedFlow,
  options: { readonly except?: (topic: string, offset: string, partition: number) => boolean } = {},
): MatchResult {
  const broken = recorder
    .messages((m) => m.decodeError !== undefined && !(options.except?.(m.topic, m.offset, m.partition) ?? false))
    .map((m) => `${m.topic}-${m.partition}@${m.offset}: ${m.decodeError}`);
  return broken.length === 0
    ? pass(`expected a message that breaks its schema among ${recorder.messages().length}, found none`)
    : fail(
        `expected every message to match its schema; ${broken.length} did not: ${show(broken.slice(0, 10))}`,
        broken,
        [],
      );
}

import type { TopicRole } from '../config/index.js';
import type { FlowRecorder } from '../recorder/recorder.js';
import { matchesPartial } from './partial.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

/** A message was published on a topic role whose value (and optionally key) partially matches. */
export function havePublished(
  recorder: FlowRecorder,
  role: TopicRole,
  expected: Record<string, unknown>,
  options: WaitOptions & { readonly key?: string } = {},
): Promise<MatchResult> {
  return eventually(() => {
    const onTopic = recorder.ofRole(role);
    const hit = onTopic.find((m) => matchesPartial(m.value, expected) && (options.key === undefined || m.key === options.key));
    if (hit) return pass(`expected no ${role} message matching ${show(expected)}, found one at ${hit.topic}-${hit.partition}@${hit.offset}`, hit.value, expected);
    return fail(
      `expected a ${role} message matching ${show(expected)}${options.key ? ` with key ${options.key}` : ''}; ` +
        `the flow holds ${onTopic.length} ${role} message(s): ${show(onTopic.slice(-5).map((m) => m.value))}`,
      onTopic.map((m) => m.value),
      expected,
    );
  }, options);
}

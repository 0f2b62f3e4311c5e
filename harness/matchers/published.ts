import type { TopicRole } from '../vocabulary.js';
import type { MessageForRole } from '../protocol/index.js';
import type { RecordedFlow } from './flow.js';
import { closestTo, matchesPartial, subsetForDiff } from './partial.js';
import { type CompareOptions, eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

/**
 * What a test expects of a message: any subset of its fields, nested, where any value may be an
 * asymmetric matcher (`expect.any(String)`, `expect.stringMatching(…)`) or a RegExp for a string.
 */
export type ExpectedMessage<T> = T extends readonly (infer U)[]
  ? readonly ExpectedMessage<U>[]
  : T extends object
    ? { [K in keyof T]?: ExpectedMessage<T[K]> | RegExp }
    : T | RegExp;

export interface PublishedOptions extends WaitOptions, CompareOptions {
  /** The record's key must equal this (or match it, for an asymmetric matcher or a RegExp). */
  readonly key?: unknown;
}

/** A message was published on a topic role whose value (and optionally key) partially matches. */
export function havePublished<R extends TopicRole>(
  flow: RecordedFlow,
  role: R,
  expected: ExpectedMessage<MessageForRole<R>> | Record<string, unknown>,
  options: PublishedOptions = {},
): Promise<MatchResult> {
  const equals = options.equals ?? matchesPartial;
  const keyMatches = (key: string | null) => options.key === undefined || equals(key, options.key);
  return eventually(() => {
    const onTopic = flow.ofRole(role);
    const hit = onTopic.find((m) => equals(m.value, expected) && keyMatches(m.key));
    if (hit)
      return pass(
        `expected no ${role} message matching ${show(expected)}, found one at ${hit.topic}-${hit.partition}@${hit.offset}`,
        hit.value,
        expected,
      );
    const closest = closestTo(onTopic, (m) => m.value, expected, equals);
    return fail(
      `expected a ${role} message matching ${show(expected)}${options.key === undefined ? '' : ` with key ${show(options.key)}`}; ` +
        `the flow holds ${onTopic.length} ${role} message(s)${closest ? `, the closest at ${closest.topic}-${closest.partition}@${closest.offset}` : ''}: ` +
        show(onTopic.slice(-5).map((m) => m.value)),
      closest === undefined ? undefined : subsetForDiff(closest.value, expected),
      expected,
    );
  }, options);
}

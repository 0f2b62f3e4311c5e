import { warnDeprecated } from './deprecation.js';
import type { RecordedFlow } from './flow.js';
import { closestTo, isAsymmetricMatcher, matchesPartial, subsetForDiff } from './partial.js';
import { type CompareOptions, eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

interface DeadLetterView {
  reason?: string;
  cause?: string;
  originalTopic?: string;
  payload?: string | null;
}

export interface DeadLetteredOptions extends WaitOptions, CompareOptions {
  /** The dead letter's reason code or cause must match: a string (equal), a RegExp, or an asymmetric matcher. */
  readonly reason?: unknown;
}

function payloadOf(value: DeadLetterView | undefined): unknown {
  try {
    return value?.payload ? JSON.parse(value.payload) : undefined;
  } catch {
    return undefined;
  }
}

const isReason = (value: unknown) => typeof value === 'string' || value instanceof RegExp || isAsymmetricMatcher(value);

/** Read `(original, options)` and the deprecated `(original, reason, options)` alike. */
export function deadLetteredOptions(reasonOrOptions: unknown, options: DeadLetteredOptions | undefined, form: string): DeadLetteredOptions {
  if (isReason(reasonOrOptions) || (reasonOrOptions === undefined && options !== undefined)) {
    warnDeprecated(`${form}(original, reason, options)`, `${form}(original, { reason, ...options })`);
    return { ...options, ...(reasonOrOptions === undefined ? {} : { reason: reasonOrOptions }) };
  }
  return (reasonOrOptions as DeadLetteredOptions | undefined) ?? {};
}

/** A record whose original payload matches `original` is in the dead-letter queue, with a reason (code or cause) matching `options.reason`. */
export function deadLettered(flow: RecordedFlow, original: Record<string, unknown>, options?: DeadLetteredOptions): Promise<MatchResult>;
/** @deprecated write `deadLettered(flow, original, { reason, ...options })`. */
export function deadLettered(flow: RecordedFlow, original: Record<string, unknown>, reason: unknown, options?: WaitOptions): Promise<MatchResult>;
export function deadLettered(flow: RecordedFlow, original: Record<string, unknown>, reasonOrOptions?: unknown, maybeOptions?: WaitOptions): Promise<MatchResult> {
  const options = deadLetteredOptions(reasonOrOptions, maybeOptions, 'deadLettered');
  const equals = options.equals ?? matchesPartial;
  const { reason } = options;
  const expected = { original, ...(reason === undefined ? {} : { reason }) };
  return eventually(() => {
    const letters = flow.ofRole<DeadLetterView>('dlq');
    const forIt = letters.filter((m) => equals(payloadOf(m.value), original));
    const hit = forIt.find((m) => reason === undefined || equals(m.value?.cause, reason) || equals(m.value?.reason, reason));
    if (hit) return pass(`expected no dead letter for ${show(original)}, found one: ${show(hit.value)}`, hit.value, expected);
    // Shown as received: the closest letter's payload and its reason code or cause (whichever matched, else both).
    const closest = closestTo(forIt.length > 0 ? forIt : letters, (m) => payloadOf(m.value), original, equals);
    const received =
      closest === undefined
        ? undefined
        : {
            original: subsetForDiff(payloadOf(closest.value), original),
            ...(reason === undefined
              ? {}
              : { reason: [closest.value?.reason, closest.value?.cause].find((r) => equals(r, reason)) ?? `${closest.value?.reason}: ${closest.value?.cause}` }),
          };
    return fail(
      `expected a dead letter for ${show(original)}${reason === undefined ? '' : ` with reason ${show(reason)}`}; ` +
        `the dead-letter queue holds ${letters.length}: ${show(letters.slice(-5).map((m) => ({ reason: m.value?.reason, cause: m.value?.cause, payload: payloadOf(m.value) })))}`,
      received,
      expected,
    );
  }, options);
}

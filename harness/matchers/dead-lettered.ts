import { optionsObject } from './options-object.js';
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

/** `(original, { reason, ...options })`: the options object checked (a reason in its place names the fix). */
export function deadLetteredOptions(value: unknown, form: string): DeadLetteredOptions {
  if (value === undefined) return {};
  const shape = 'original, { reason, ...options }';
  // RegExps and asymmetric matchers are objects too: a reason in the options' place is the removed positional form.
  if (isReason(value))
    throw new TypeError(
      `${form} takes (original, options), got a reason (${String(value)}) in the options' place: write ${form}(${shape}) (the positional form was removed).`,
    );
  return optionsObject<DeadLetteredOptions>(value, form, shape);
}

/** A record whose original payload matches `original` is in the dead-letter queue, with a reason (code or cause) matching `options.reason`. */
export function deadLettered(
  flow: RecordedFlow,
  original: Record<string, unknown>,
  given?: DeadLetteredOptions,
): Promise<MatchResult> {
  const options = deadLetteredOptions(given, 'deadLettered');
  const equals = options.equals ?? matchesPartial;
  const { reason } = options;
  const expected = { original, ...(reason === undefined ? {} : { reason }) };
  return eventually(() => {
    const letters = flow.ofRole<DeadLetterView>('dlq');
    const forIt = letters.filter((m) => equals(payloadOf(m.value), original));
    const hit = forIt.find(
      (m) => reason === undefined || equals(m.value?.cause, reason) || equals(m.value?.reason, reason),
    );
    if (hit)
      return pass(`expected no dead letter for ${show(original)}, found one: ${show(hit.value)}`, hit.value, expected);
    // Shown as received: the closest letter's payload and its reason code or cause (whichever matched, else both).
    const closest = closestTo(forIt.length > 0 ? forIt : letters, (m) => payloadOf(m.value), original, equals);
    const received =
      closest === undefined
        ? undefined
        : {
            original: subsetForDiff(payloadOf(closest.value), original),
            ...(reason === undefined
              ? {}
              : {
                  reason:
                    [closest.value?.reason, closest.value?.cause].find((r) => equals(r, reason)) ??
                    `${closest.value?.reason}: ${closest.value?.cause}`,
                }),
          };
    return fail(
      `expected a dead letter for ${show(original)}${reason === undefined ? '' : ` with reason ${show(reason)}`}; ` +
        `the dead-letter queue holds ${letters.length}: ${show(letters.slice(-5).map((m) => ({ reason: m.value?.reason, cause: m.value?.cause, payload: payloadOf(m.value) })))}`,
      received,
      expected,
    );
  }, options);
}

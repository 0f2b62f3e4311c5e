import type { FlowRecorder } from '../recorder/recorder.js';
import { matchesPartial } from './partial.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

interface DeadLetterView {
  reason?: string;
  cause?: string;
  originalTopic?: string;
  payload?: string | null;
}

function payloadOf(value: DeadLetterView | undefined): unknown {
  try {
    return value?.payload ? JSON.parse(value.payload) : undefined;
  } catch {
    return undefined;
  }
}

/** A record whose original payload matches `original` is in the dead-letter queue, with a reason matching `reason`. */
export function deadLettered(
  recorder: FlowRecorder,
  original: Record<string, unknown>,
  reason?: string | RegExp,
  options: WaitOptions = {},
): Promise<MatchResult> {
  return eventually(() => {
    const letters = recorder.ofRole<DeadLetterView>('dlq');
    const forIt = letters.filter((m) => matchesPartial(payloadOf(m.value), original));
    const hit = forIt.find((m) => reason === undefined || matchesPartial(m.value?.cause, reason) || matchesPartial(m.value?.reason, reason));
    if (hit) return pass(`expected no dead letter for ${show(original)}, found one: ${show(hit.value)}`, hit.value, { original, reason });
    return fail(
      `expected a dead letter for ${show(original)}${reason ? ` with reason ${String(reason)}` : ''}; ` +
        `the dead-letter queue holds ${letters.length}: ${show(letters.slice(-5).map((m) => ({ reason: m.value?.reason, cause: m.value?.cause, payload: payloadOf(m.value) })))}`,
      forIt.map((m) => m.value),
      { original, reason: reason === undefined ? undefined : String(reason) },
    );
  }, options);
}

import type { GamelanKafkaConfig } from '../config/index.js';
import { retryDelayMs } from '../config/backoff.js';
import { optionsObject } from './options-object.js';
import type { RecordedFlow } from './flow.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

export interface RetriedOptions extends WaitOptions {
  readonly runId: string;
  readonly nodeId: string;
  /** Retries expected: the node was published retries+1 times (attempts 1…retries+1). */
  readonly retries: number;
  /** The backoff the gaps must respect (gamelan.kafka.dlq.*). */
  readonly dlq: GamelanKafkaConfig['dlq'];
  /** Gaps may be this much shorter than configured (clock and broker timestamp skew; default 50 ms). */
  readonly toleranceMs?: number;
}

/** Gaps in ms between consecutive attempts of a node of a run, measured on the task records' timestamps. */
export function attemptGaps(
  recorder: RecordedFlow,
  runId: string,
  nodeId: string,
): { attempts: number[]; gapsMs: number[] } {
  const tasks = recorder
    .byRun(runId)
    .filter((m) => m.role === 'tasks' && (m.value as { nodeId?: string } | undefined)?.nodeId === nodeId)
    .map((m) => ({ attempt: (m.value as { attempt: number }).attempt, at: m.timestamp }))
    .sort((a, b) => a.attempt - b.attempt);
  return { attempts: tasks.map((t) => t.attempt), gapsMs: tasks.slice(1).map((t, i) => t.at - tasks[i]!.at) };
}

/** An asymmetric matcher for a gap (vitest prints it as `>= 1000` in a diff). */
function atLeast(min: number) {
  return {
    $$typeof: Symbol.for('jest.asymmetricMatcher'),
    asymmetricMatch: (value: unknown) => typeof value === 'number' && value >= min,
    toString: () => 'AtLeast',
    toAsymmetricMatcher: () => `>= ${min}`,
  };
}

/** `({ runId, nodeId, retries, dlq, ...options })`, checked to be an object. */
export const retriedOptions = (value: unknown, form: string): RetriedOptions =>
  optionsObject<RetriedOptions>(value, form, '{ runId, nodeId, retries, dlq, ...options }');

/**
 * A node was retried exactly `retries` times (so published retries+1 times, attempts 1…retries+1),
 * and each gap between attempts was at least the configured backoff for that retry.
 */
export function retriedTimes(flow: RecordedFlow, given: RetriedOptions): Promise<MatchResult> {
  const options = retriedOptions(given, 'retriedTimes');
  const { runId, nodeId, retries } = options;
  const tolerance = options.toleranceMs ?? 50;
  return eventually(() => {
    const { attempts, gapsMs } = attemptGaps(flow, runId, nodeId);
    const expectedAttempts = Array.from({ length: retries + 1 }, (_, i) => i + 1);
    const minimumGaps = expectedAttempts.slice(1).map((_, i) => retryDelayMs(options.dlq, i + 1));
    const countOk = show(attempts) === show(expectedAttempts);
    const tooShort = gapsMs.findIndex((gap, i) => gap + tolerance < (minimumGaps[i] ?? 0));
    const detail = `attempts ${show(attempts)}, gaps ${show(gapsMs)} ms, configured backoff ${show(minimumGaps)} ms`;
    if (countOk && tooShort < 0)
      return pass(
        `expected ${runId}/${nodeId} not to be retried ${retries} times with the configured backoff: ${detail}`,
        { attempts, gapsMs },
        { attempts: expectedAttempts, minimumGaps },
      );
    const why = !countOk
      ? `expected attempts ${show(expectedAttempts)}`
      : `gap ${tooShort + 1} was ${gapsMs[tooShort]} ms, below the configured ${minimumGaps[tooShort]} ms`;
    // Gaps that respect the backoff are shown as they were, so the diff points at the ones that did not.
    const expectedGaps =
      gapsMs.length === minimumGaps.length
        ? minimumGaps.map((min, i) => (gapsMs[i]! + tolerance >= min ? gapsMs[i]! : atLeast(min - tolerance)))
        : minimumGaps.map((min) => atLeast(min - tolerance));
    return fail(
      `expected ${runId}/${nodeId} to be retried ${retries} times with the configured backoff: ${why}; the flow holds ${detail}`,
      { attempts, gapsMs },
      { attempts: expectedAttempts, gapsMs: expectedGaps },
    );
  }, options);
}

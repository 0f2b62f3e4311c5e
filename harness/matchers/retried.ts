import type { GamelanKafkaConfig } from '../config/index.js';
import { retryDelayMs } from '../config/backoff.js';
import type { FlowRecorder } from '../recorder/recorder.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

export interface RetriedOptions extends WaitOptions {
  /** The backoff the gaps must respect (gamelan.kafka.dlq.*). */
  readonly dlq: GamelanKafkaConfig['dlq'];
  /** Gaps may be this much shorter than configured (clock and broker timestamp skew; default 50 ms). */
  readonly toleranceMs?: number;
}

/** Gaps in ms between consecutive attempts of a node of a run, measured on the task records' timestamps. */
export function attemptGaps(recorder: FlowRecorder, runId: string, nodeId: string): { attempts: number[]; gapsMs: number[] } {
  const tasks = recorder
    .byRun(runId)
    .filter((m) => m.role === 'tasks' && (m.value as { nodeId?: string } | undefined)?.nodeId === nodeId)
    .map((m) => ({ attempt: (m.value as { attempt: number }).attempt, at: m.timestamp }))
    .sort((a, b) => a.attempt - b.attempt);
  return { attempts: tasks.map((t) => t.attempt), gapsMs: tasks.slice(1).map((t, i) => t.at - tasks[i]!.at) };
}

/**
 * A node was retried exactly `retries` times (so published retries+1 times, attempts 1…retries+1),
 * and each gap between attempts was at least the configured backoff for that retry.
 */
export function retriedTimes(recorder: FlowRecorder, runId: string, nodeId: string, retries: number, options: RetriedOptions): Promise<MatchResult> {
  const tolerance = options.toleranceMs ?? 50;
  return eventually(() => {
    const { attempts, gapsMs } = attemptGaps(recorder, runId, nodeId);
    const expectedAttempts = Array.from({ length: retries + 1 }, (_, i) => i + 1);
    const minimumGaps = expectedAttempts.slice(1).map((_, i) => retryDelayMs(options.dlq, i + 1));
    const countOk = show(attempts) === show(expectedAttempts);
    const tooShort = gapsMs.findIndex((gap, i) => gap + tolerance < (minimumGaps[i] ?? 0));
    const detail = `attempts ${show(attempts)}, gaps ${show(gapsMs)} ms, configured backoff ${show(minimumGaps)} ms`;
    if (countOk && tooShort < 0) return pass(`expected ${runId}/${nodeId} not to be retried ${retries} times with the configured backoff: ${detail}`, { attempts, gapsMs }, { attempts: expectedAttempts, minimumGaps });
    const why = !countOk ? `expected attempts ${show(expectedAttempts)}` : `gap ${tooShort + 1} was ${gapsMs[tooShort]} ms, below the configured ${minimumGaps[tooShort]} ms`;
    return fail(`expected ${runId}/${nodeId} to be retried ${retries} times with the configured backoff: ${why}; the flow holds ${detail}`, { attempts, gapsMs }, { attempts: expectedAttempts, minimumGaps });
  }, options);
}

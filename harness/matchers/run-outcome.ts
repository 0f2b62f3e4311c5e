import type { RecordedMessage } from '../recorder/types.js';
import type { RecordedFlow } from './flow.js';
import { eventually, fail, finalFail, type MatchResult, pass, type WaitOptions } from './result.js';

type Outcome = 'COMPLETED' | 'FAILED';

const OTHER: Record<Outcome, Outcome> = { COMPLETED: 'FAILED', FAILED: 'COMPLETED' };

/**
 * After the run ended the other way, how long to keep reading for the rest of its failure (the dead letter and the
 * status update travel on other topics than the event that ended it). Short: the answer is already known.
 */
export const FAILURE_DETAIL_GRACE_MS = 1_000;

/** The last failure of a run, from its records: which node and attempt, the handler's error, where it was dead-lettered. */
export interface RunFailure {
  readonly nodeId?: string | undefined;
  readonly attempt?: number | undefined;
  /** The executor's error (`ErrorInfo.code: message`), else the engine's reason (a timeout, a retry limit). */
  readonly error?: string | undefined;
  /** Where the task was dead-lettered: topic, partition, offset, and the dead letter's reason. */
  readonly deadLetter?:
    | {
        readonly topic: string;
        readonly partition: number;
        readonly offset: string;
        readonly reason?: string | undefined;
      }
    | undefined;
}

const record = (m: RecordedMessage) => (m.value ?? {}) as Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** The run's last failure as its records tell it; undefined when none failed. */
export function lastFailure(flow: readonly RecordedMessage[]): RunFailure | undefined {
  const failedResult = flow
    .filter((m) => m.role === 'results' && ['FAILURE', 'TIMEOUT'].includes(text(record(m).status) ?? ''))
    .at(-1);
  const failedEvent = flow.filter((m) => m.role === 'events' && record(m).eventType === 'NODE_FAILED').at(-1);
  const dead = flow.filter((m) => m.role === 'dlq').at(-1);
  if (!failedResult && !failedEvent && !dead) return undefined;
  const result = failedResult ? record(failedResult) : undefined;
  const payload = failedEvent ? ((record(failedEvent).payload ?? {}) as Record<string, unknown>) : undefined;
  const info = (result?.error ?? undefined) as { code?: unknown; message?: unknown } | undefined;
  const handlerError =
    info && text(info.message) !== undefined
      ? `${text(info.code) ? `${text(info.code)}: ` : ''}${text(info.message)}`
      : undefined;
  const letter = dead ? record(dead) : undefined;
  return {
    nodeId: text(result?.nodeId) ?? text(payload?.nodeId),
    attempt: int(result?.attempt) ?? int(payload?.attempt),
    error: handlerError ?? text(payload?.reason),
    deadLetter: dead
      ? { topic: dead.topic, partition: dead.partition, offset: dead.offset, reason: text(letter?.reason) }
      : undefined,
  };
}

/** One line for a failure message: `node charge, attempt 3: PAYMENT_DECLINED: card refused; dead-lettered to …`. */
export function describeFailure(failure: RunFailure | undefined): string {
  if (!failure) return 'no failed task is on record';
  const where = [
    failure.nodeId === undefined ? 'node ?' : `node ${failure.nodeId}`,
    failure.attempt === undefined ? undefined : `attempt ${failure.attempt}`,
  ]
    .filter(Boolean)
    .join(', ');
  const letter = failure.deadLetter
    ? `dead-lettered to ${failure.deadLetter.topic} partition ${failure.deadLetter.partition} offset ${failure.deadLetter.offset}${failure.deadLetter.reason ? ` (${failure.deadLetter.reason})` : ''}`
    : 'not dead-lettered';
  return `${where}: ${failure.error ?? '(no error text)'}; ${letter}`;
}

/**
 * The run ended as expected: a RUN_<outcome> event and a status update <outcome> for it. Once the run ended the
 * other way (RUN_<other> or status <other>) it never will: the wait stops then (after a short grace for the
 * failure's details) and says why, with the last failure.
 */
export function runEnded(
  recorder: RecordedFlow,
  runId: string,
  outcome: Outcome,
  options: WaitOptions = {},
): Promise<MatchResult> {
  let endedOtherAt: number | undefined;
  return eventually(() => {
    const flow = recorder.byRun(runId);
    const events = flow
      .filter((m) => m.role === 'events')
      .map((m) => (m.value as { eventType?: string } | undefined)?.eventType);
    const statuses = flow
      .filter((m) => m.role === 'status')
      .map((m) => (m.value as { status?: string } | undefined)?.status);
    const ok = events.includes(`RUN_${outcome}`) && statuses.includes(outcome);
    const summary = `events [${events.join(', ')}], status updates [${statuses.join(', ')}]`;
    const failure = lastFailure(flow);
    if (ok)
      return pass(
        `expected run ${runId} not to be ${outcome}, but it was: ${summary}${outcome === 'FAILED' ? `; last failure: ${describeFailure(failure)}` : ''}`,
      );
    const other = OTHER[outcome];
    if (events.includes(`RUN_${other}`) || statuses.includes(other)) {
      endedOtherAt ??= Date.now();
      const message = `expected run ${runId} to be ${outcome}, but it ended ${other}${other === 'FAILED' ? `; last failure: ${describeFailure(failure)}` : ''}; the flow holds ${summary}`;
      const complete =
        other === 'FAILED'
          ? failure?.deadLetter !== undefined && statuses.includes(other)
          : statuses.includes(other) && events.includes(`RUN_${other}`);
      // The dead letter and the status update may still be on their way: wait a moment for them, not the whole timeout.
      const settled = complete || Date.now() - endedOtherAt >= FAILURE_DETAIL_GRACE_MS;
      return settled
        ? finalFail(message, { events, statuses, failure }, outcome)
        : fail(message, { events, statuses, failure }, outcome);
    }
    const lastFailed = failure ? `; last failure so far: ${describeFailure(failure)}` : '';
    return fail(
      `expected run ${runId} to be ${outcome} (event RUN_${outcome} and status ${outcome}); the flow holds ${summary}${lastFailed}`,
      { events, statuses },
      outcome,
    );
  }, options);
}

export const runCompleted = (recorder: RecordedFlow, runId: string, options?: WaitOptions) =>
  runEnded(recorder, runId, 'COMPLETED', options);
export const runFailed = (recorder: RecordedFlow, runId: string, options?: WaitOptions) =>
  runEnded(recorder, runId, 'FAILED', options);

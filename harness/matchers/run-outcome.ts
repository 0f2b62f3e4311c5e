import type { RecordedFlow } from './flow.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

type Outcome = 'COMPLETED' | 'FAILED';

/** The run ended as expected: a RUN_<outcome> event and a status update <outcome> for it. */
export function runEnded(recorder: RecordedFlow, runId: string, outcome: Outcome, options: WaitOptions = {}): Promise<MatchResult> {
  return eventually(() => {
    const flow = recorder.byRun(runId);
    const events = flow.filter((m) => m.role === 'events').map((m) => (m.value as { eventType?: string } | undefined)?.eventType);
    const statuses = flow.filter((m) => m.role === 'status').map((m) => (m.value as { status?: string } | undefined)?.status);
    const ok = events.includes(`RUN_${outcome}`) && statuses.includes(outcome);
    const summary = `events [${events.join(', ')}], status updates [${statuses.join(', ')}]`;
    return ok
      ? pass(`expected run ${runId} not to be ${outcome}, but it was: ${summary}`)
      : fail(`expected run ${runId} to be ${outcome} (event RUN_${outcome} and status ${outcome}); the flow holds ${summary}`, { events, statuses }, outcome);
  }, options);
}

export const runCompleted = (recorder: RecordedFlow, runId: string, options?: WaitOptions) => runEnded(recorder, runId, 'COMPLETED', options);
export const runFailed = (recorder: RecordedFlow, runId: string, options?: WaitOptions) => runEnded(recorder, runId, 'FAILED', options);


import type { RecordedFlow } from './flow.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

/**
 * No task was lost and none completed twice: every node the engine started got a terminal event
 * (completed or dead-lettered), and no node of a run completed more than once.
 */
export function noTaskLostOrDuplicated(recorder: RecordedFlow, runIds: readonly string[], options: WaitOptions = {}): Promise<MatchResult> {
  return eventually(() => {
    const lost: string[] = [];
    const twice: string[] = [];
    for (const runId of runIds) {
      const events = recorder.byRun(runId).filter((m) => m.role === 'events').map((m) => m.value as { eventType: string; payload?: { nodeId?: string } });
      const nodes = new Set(events.filter((e) => e.eventType === 'NODE_STARTED').map((e) => e.payload?.nodeId));
      for (const node of nodes) {
        const completed = events.filter((e) => e.eventType === 'NODE_COMPLETED' && e.payload?.nodeId === node).length;
        const dead = events.some((e) => e.eventType === 'NODE_DEAD_LETTERED' && e.payload?.nodeId === node);
        if (completed === 0 && !dead) lost.push(`${runId}/${node}`);
        if (completed > 1) twice.push(`${runId}/${node} ×${completed}`);
      }
    }
    return lost.length === 0 && twice.length === 0
      ? pass(`expected a lost or twice-completed task among ${runIds.length} runs, found none`)
      : fail(`expected no lost and no twice-completed task; lost: ${show(lost)}; completed twice: ${show(twice)}`, { lost, twice }, { lost: [], twice: [] });
  }, options);
}

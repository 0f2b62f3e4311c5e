import type { RecordedFlow } from './flow.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

/** runId/nodeId of each dead letter whose payload is a task (JSON) in the flow. */
function deadLetteredNodes(recorder: RecordedFlow): Set<string> {
  const out = new Set<string>();
  for (const m of recorder.ofRole<{ payload?: string | null }>('dlq')) {
    try {
      const task = JSON.parse(m.value?.payload ?? '') as { runId?: unknown; nodeId?: unknown };
      if (typeof task.runId === 'string' && typeof task.nodeId === 'string') out.add(`${task.runId}/${task.nodeId}`);
    } catch {
      // not a task: not one of the engine's dead letters
    }
  }
  return out;
}

/**
 * No task was lost and none completed twice: every node the engine started got a terminal event
 * (completed or dead-lettered), and no node of a run completed more than once. A node counts as
 * dead-lettered by its NODE_DEAD_LETTERED event or by its task in the dead-letter queue (the upstream
 * dialect has no such event: it is written as NodeFailed).
 */
export function noTaskLostOrDuplicated(
  recorder: RecordedFlow,
  runIds: readonly string[],
  options: WaitOptions = {},
): Promise<MatchResult> {
  return eventually(() => {
    const deadLetters = deadLetteredNodes(recorder);
    const lost: string[] = [];
    const twice: string[] = [];
    for (const runId of runIds) {
      const events = recorder
        .byRun(runId)
        .filter((m) => m.role === 'events')
        .map((m) => m.value as { eventType: string; payload?: { nodeId?: string } });
      const nodes = new Set(events.filter((e) => e.eventType === 'NODE_STARTED').map((e) => e.payload?.nodeId));
      for (const node of nodes) {
        const completed = events.filter((e) => e.eventType === 'NODE_COMPLETED' && e.payload?.nodeId === node).length;
        const dead =
          events.some((e) => e.eventType === 'NODE_DEAD_LETTERED' && e.payload?.nodeId === node) ||
          deadLetters.has(`${runId}/${node}`);
        if (completed === 0 && !dead) lost.push(`${runId}/${node}`);
        if (completed > 1) twice.push(`${runId}/${node} ×${completed}`);
      }
    }
    return lost.length === 0 && twice.length === 0
      ? pass(`expected a lost or twice-completed task among ${runIds.length} runs, found none`)
      : fail(
          `expected no lost and no twice-completed task; lost: ${show(lost)}; completed twice: ${show(twice)}`,
          { lost, twice },
          { lost: [], twice: [] },
        );
  }, options);
}

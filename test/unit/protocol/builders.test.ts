import { describe, expect, it } from 'vitest';
import {
  buildDeadLetter,
  buildStatusUpdate,
  buildTask,
  buildTaskResult,
  buildWorkflowEvent,
} from '../../../fixtures/builders/index.js';
import { decodeMessage, encodeMessage, type MessageType } from '../../../harness/protocol/index.js';

const builders = {
  TaskMessage: buildTask,
  TaskResultMessage: buildTaskResult,
  WorkflowEventMessage: buildWorkflowEvent,
  StatusUpdateMessage: buildStatusUpdate,
  DeadLetterMessage: buildDeadLetter,
} as const satisfies Record<MessageType, (o?: never, opts?: { seed?: number }) => unknown>;

describe.each(Object.entries(builders))('%s builder', (type, build) => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(build(undefined, { seed: 42 })).toEqual(build(undefined, { seed: 42 }));
    expect(build(undefined, { seed: 42 })).not.toEqual(build(undefined, { seed: 43 }));
  });

  it('builds valid messages for many seeds', () => {
    for (let seed = 0; seed < 50; seed++) {
      const message = build(undefined, { seed });
      const decoded = decodeMessage(type as MessageType, encodeMessage(type as MessageType, message as never));
      if (!decoded.ok) throw decoded.failure.error;
      expect(decoded.message).toEqual(message);
    }
  });
});

describe('overrides', () => {
  it('keep taskId consistent with runId/nodeId/attempt', () => {
    expect(buildTask({ runId: 'r', nodeId: 'n', attempt: 2 })).toMatchObject({ taskId: 'r:n:2' });
  });

  it('answer a task', () => {
    const task = buildTask({}, { seed: 5 });
    const result = buildTaskResult({ status: 'FAILURE' }, { seed: 5, task });
    expect(result).toMatchObject({
      taskId: task.taskId,
      token: task.token,
      status: 'FAILURE',
      error: { code: 'PAYMENT_DECLINED' },
    });
  });
});

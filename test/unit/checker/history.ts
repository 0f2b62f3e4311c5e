import type { TopicRole } from '../../../harness/vocabulary.js';
import type { RecordedMessage } from '../../../harness/recorder/types.js';

// Hand-made histories for the checker: records as the recorder would hold them, with offsets per
// partition and a clock that moves 1 ms per record unless told otherwise.

export class History {
  readonly messages: RecordedMessage[] = [];
  readonly #offsets = new Map<string, number>();
  #now = 1_000;
  #event = 0;

  constructor(readonly partitionOf: (runId: string) => number = () => 0) {}

  add(
    role: TopicRole,
    value: Record<string, unknown>,
    at: { partition?: number; timestamp?: number } = {},
  ): RecordedMessage {
    const runId = value.runId as string | undefined;
    const partition = at.partition ?? (runId ? this.partitionOf(runId) : 0);
    const topic = `gamelan.${role}`;
    const key = `${topic}-${partition}`;
    const offset = this.#offsets.get(key) ?? 0;
    this.#offsets.set(key, offset + 1);
    const timestamp = at.timestamp ?? (this.#now += 1);
    const m: RecordedMessage = {
      topic,
      role,
      partition,
      offset: String(offset),
      key: runId ?? null,
      headers: {},
      timestamp,
      value,
      rawBase64: null,
      receivedAt: timestamp,
    };
    this.messages.push(m);
    return m;
  }

  task(
    runId: string,
    nodeId: string,
    attempt = 1,
    token = 'tok',
    at?: { partition?: number; timestamp?: number },
  ): this {
    this.add('tasks', { taskId: `${runId}:${nodeId}:${attempt}`, runId, nodeId, attempt, token }, at);
    return this;
  }

  result(
    runId: string,
    nodeId: string,
    attempt = 1,
    token = 'tok',
    at?: { partition?: number; timestamp?: number },
  ): this {
    this.add(
      'results',
      { taskId: `${runId}:${nodeId}:${attempt}`, runId, nodeId, attempt, token, status: 'SUCCESS' },
      at,
    );
    return this;
  }

  event(runId: string, eventType: string, payload: Record<string, unknown> = {}, eventId = `e${++this.#event}`): this {
    this.add('events', { eventId, runId, eventType, payload });
    return this;
  }

  started(runId: string, nodeId: string, attempt = 1): this {
    return this.event(runId, 'NODE_STARTED', { nodeId, attempt, taskId: `${runId}:${nodeId}:${attempt}` });
  }

  completed(runId: string, nodeId: string, attempt = 1): this {
    return this.event(runId, 'NODE_COMPLETED', { nodeId, attempt, taskId: `${runId}:${nodeId}:${attempt}` });
  }

  failed(runId: string, nodeId: string, attempt: number, status: 'FAILURE' | 'TIMEOUT'): this {
    return this.event(runId, 'NODE_FAILED', { nodeId, attempt, status, reason: status });
  }

  status(runId: string, status: string): this {
    this.add('status', { runId, tenantId: 't1', status });
    return this;
  }

  /** One node sent, answered, completed, and the run completed. */
  cleanRun(runId: string, nodes: readonly string[] = ['a']): this {
    this.event(runId, 'RUN_CREATED').status(runId, 'RUNNING');
    for (const node of nodes) this.started(runId, node).task(runId, node).result(runId, node).completed(runId, node);
    return this.event(runId, 'RUN_COMPLETED').status(runId, 'COMPLETED');
  }
}

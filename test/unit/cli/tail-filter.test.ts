import { describe, expect, it } from 'vitest';
import { headersLine, tailFilter, type TailRecord } from '../../../harness/cli/tail-filter.js';

const task: TailRecord = {
  role: 'tasks',
  key: 'run-1',
  headers: { 'gamelan-message-type': 'TaskMessage' },
  value: { runId: 'run-1', nodeId: 'charge' },
};
const event: TailRecord = {
  role: 'events',
  key: 'run-2',
  headers: { 'gamelan-message-type': 'WorkflowEventMessage' },
  value: { runId: 'run-2', eventType: 'NODE_COMPLETED', tenantId: 'acme' },
};
const status: TailRecord = {
  role: 'status',
  key: 'acme',
  headers: {},
  value: { runId: 'run-2', tenantId: 'acme', status: 'RUNNING' },
};
const letter: TailRecord = {
  role: 'dlq',
  key: 'run-3',
  headers: {},
  value: { originalKey: 'run-3', messageType: 'TaskMessage', reason: 'MESSAGE_INVALID' },
};
const poison: TailRecord = { role: 'results', key: 'run-4', headers: {}, value: undefined };

describe('tail filters', () => {
  it('print everything when no filter is given', () => {
    expect(tailFilter({})).toBeUndefined();
    expect(tailFilter({ type: [] })).toBeUndefined();
  });

  it('--run-id: the runId, else the key where records are keyed by run (dead letters, undecodable records)', () => {
    const keep = tailFilter({ runId: 'run-2' })!;
    expect([task, event, status, letter].filter(keep)).toEqual([event, status]);
    expect(tailFilter({ runId: 'run-3' })!(letter)).toBe(true);
    expect(tailFilter({ runId: 'run-4' })!(poison)).toBe(true);
    expect(tailFilter({ runId: 'acme' })!(status)).toBe(false); // a status update's key is its tenant, not a run
  });

  it('--tenant: the tenantId, or the key of a status update', () => {
    expect([task, event, status, letter].filter(tailFilter({ tenant: 'acme' })!)).toEqual([event, status]);
    expect(tailFilter({ tenant: 'acme' })!({ ...status, value: undefined })).toBe(true);
  });

  it('--type: message type, event type, a dead letter’s original type or reason; comma-separated or repeated', () => {
    expect([task, event, status, letter].filter(tailFilter({ type: ['NODE_COMPLETED'] })!)).toEqual([event]);
    expect([task, event, status, letter].filter(tailFilter({ type: ['TaskMessage'] })!)).toEqual([task, letter]);
    expect([task, event, status, letter].filter(tailFilter({ type: ['MESSAGE_INVALID,NODE_COMPLETED'] })!)).toEqual([
      event,
      letter,
    ]);
    expect([task, event, status, letter].filter(tailFilter({ type: ['RUN_CREATED', 'TaskMessage'] })!)).toEqual([
      task,
      letter,
    ]);
  });

  it('several filters all apply', () => {
    expect(
      [task, event, status, letter].filter(tailFilter({ runId: 'run-2', type: ['NODE_COMPLETED'], tenant: 'acme' })!),
    ).toEqual([event]);
  });

  it('headers print as one line', () => {
    expect(headersLine({ 'content-type': 'application/json', traceparent: '00-a-b-01' })).toBe(
      '  content-type=application/json  traceparent=00-a-b-01',
    );
    expect(headersLine({})).toBe('  (no headers)');
  });
});

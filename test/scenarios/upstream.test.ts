import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../harness/config/index.js';
import type { RecordedMessage } from '../../harness/recorder/types.js';
import { importScenarios } from '../../harness/scenario/import-scenarios.js';
import { runScenarios, type ImportedScenario } from '../../harness/scenario/runner.js';
import { startStack, type StartedStack } from '../../harness/stack/start-stack.js';
import { testBrokerKind } from '../support/broker.js';

// The four bundled scenarios played in the upstream dialect (`gamelan-harness run --dialect upstream`): the fake
// engine writes tasks as the Java module does, reads COMPLETED/FAILED results with executionToken, writes unkeyed
// events with the Java event types and status without tenantId; the executors answer as the Java engine reads;
// the recorder decodes upstream. Topic names are the dialect's defaults (workflow-tasks, …) under each prefix.
const scenarios: ImportedScenario[] = await importScenarios([]);
let stack: StartedStack;

beforeAll(async () => {
  stack = await startStack({ kafka: await testBrokerKind(), config: readConfig(undefined, { dialect: 'upstream' }) });
});
afterAll(() => stack?.stop());

describe('bundled scenarios in the upstream dialect', () => {
  it('use the upstream topic names', () => {
    expect(stack.config.gamelan.tasks.topic).toBe('workflow-tasks');
    expect(stack.config.topicSources.events).toBe('default (upstream)');
  });

  it.each(scenarios.map((s) => [s.definition.name, s] as const))(
    '%s passes in upstream',
    async (_name, scenario) => {
      const flows: (readonly RecordedMessage[])[] = [];
      const summary = await runScenarios([scenario], {
        broker: stack.broker,
        config: stack.config.gamelan,
        dialect: 'upstream',
        onRecording: (_name, recording) => flows.push(recording.messages),
      });
      const [result] = summary.scenarios;
      expect(result?.error ?? '', `steps: ${JSON.stringify(result?.steps)}`).toBe('');
      expect(result?.status).toBe('passed');
      // What went over the wire was upstream: decoded without error, events unkeyed, status keyed by runId.
      const flow = flows[0]!;
      expect(flow.filter((m) => m.decodeError !== undefined).map((m) => m.decodeError)).toEqual([]);
      const events = flow.filter((m) => m.role === 'events');
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((m) => m.key === null)).toBe(true);
      const statuses = flow.filter((m) => m.role === 'status');
      expect(statuses.every((m) => m.key === (m.value as { runId: string }).runId)).toBe(true);
    },
    180_000,
  );
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import '../../../harness/vitest/index.js';
import {
  behaviours,
  decodeForRecorder,
  FakeEngine,
  FakeExecutor,
  FlowRecorder,
  parseWorkflow,
  partitionForKey,
  ResultProducer,
  startStack,
  type DeadLetterMessage,
  type GamelanKafkaConfig,
  type StartedStack,
  type TaskHandler,
  type TaskResultMessage,
  type WorkflowDefinition,
} from '../../../harness/index.js';
import { BUNDLED_WORKFLOWS_DIR, loadWorkflows } from '../../../harness/engine/workflow.js';
import { scenarioConfig } from '../../../harness/scenario/runner.js';
import { planTopics, provisionTopics } from '../../../harness/topics/index.js';
import { bootstrapServersFromEnv, NativeBrokerProvider, type ProviderKind } from '../../../harness/brokers/index.js';
import { testProviderKind } from '../../support/broker.js';

// The executor behaviours against the fake engine on a real broker: no Kafka mocks. One broker for
// the file; each test gets its own five topics and groups (a unique prefix), its own engine and
// recorder, so counts and flows are the test's alone. Retries are fast: max-retries 2, backoff 100 ms.

const DLQ = { maxRetries: 2, backoffMs: 100 } as const;
const SLEEPY_TIMEOUT_MS = 600;
const ROGUE_TIMEOUT_MS = 800;

const WORKFLOWS: ReadonlyMap<string, WorkflowDefinition> = new Map([
  ...loadWorkflows(BUNDLED_WORKFLOWS_DIR),
  ...[
    parseWorkflow({ id: 'sleepy', nodes: [{ id: 'wait', executor: 'sleepy-executor', timeoutMs: SLEEPY_TIMEOUT_MS }] }, 'inline:sleepy'),
    parseWorkflow({ id: 'rogue', nodes: [{ id: 'answer', executor: 'rogue-executor', timeoutMs: ROGUE_TIMEOUT_MS }] }, 'inline:rogue'),
  ].map((wf) => [wf.id, wf] as const),
]);

let stack: StartedStack;

/** As startTestBroker picks: GAMELAN_TEST_KAFKA or external servers when set, else native where a JDK is found, else auto. */
async function stackKind(): Promise<ProviderKind> {
  const kind = testProviderKind();
  if (kind !== 'auto' || process.env.GAMELAN_TEST_KAFKA !== undefined || bootstrapServersFromEnv(process.env)) return kind;
  return (await new NativeBrokerProvider().unavailableReason()) === undefined ? 'native' : 'auto';
}

beforeAll(async () => {
  stack = await startStack({ kafka: await stackKind() });
});

afterAll(async () => {
  await stack?.stop();
});

interface World {
  readonly config: GamelanKafkaConfig;
  readonly prefix: string;
  readonly recorder: FlowRecorder;
  readonly engine: FakeEngine;
  /** A fake executor of this type; its own group `<prefix>.<type>` unless one is given. Stopped when the test ends. */
  executor(executorType: string, handler: TaskHandler, groupId?: string): Promise<FakeExecutor>;
}

/** Fresh topics and groups on the shared broker, a recorder on them and an engine; all stopped when the test ends. */
async function world(name: string, options: { watchGroups?: (prefix: string) => string[] } = {}): Promise<World> {
  const prefix = `beh-${name}-${randomBytes(3).toString('hex')}`;
  const config = scenarioConfig(stack.config.gamelan, prefix, { name, description: name, config: { dlq: DLQ }, run: async () => {} });
  await provisionTopics(await stack.broker.admin(), planTopics(config, stack.broker.brokerCount).topics);
  const kafka = stack.broker.kafka(`behaviours-${name}`);
  const stops: (() => Promise<void>)[] = [];
  // Independent clients: stopped together, like the scenario runner does.
  onTestFinished(async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
  });
  const recorder = await FlowRecorder.start({ kafka, config, decode: decodeForRecorder, watchGroups: options.watchGroups?.(prefix) ?? [] });
  stops.push(() => recorder.stop());
  const engine = await FakeEngine.start({ kafka, config, workflows: WORKFLOWS, groupId: `${prefix}.engine` });
  stops.push(() => engine.stop());
  return {
    config,
    prefix,
    recorder,
    engine,
    async executor(executorType, handler, groupId = `${prefix}.${executorType}`) {
      const executor = await FakeExecutor.start({ kafka, config, executorType, handler, groupId });
      stops.push(() => executor.stop());
      return executor;
    },
  };
}

interface EventView {
  readonly eventType: string;
  readonly payload: { readonly nodeId?: string; readonly attempt?: number; readonly status?: string; readonly reason?: string };
}

/** The run's workflow events as the recorder saw them, in order. */
function eventsOf(recorder: FlowRecorder, runId: string): EventView[] {
  return recorder
    .byRun(runId)
    .filter((m) => m.role === 'events')
    .map((m) => m.value as EventView);
}

const ofType = (events: readonly EventView[], type: string) => events.filter((e) => e.eventType === type);

/** Results on the results topic for a run (decoded ones only; broken results do not decode). */
function resultsOf(recorder: FlowRecorder, runId: string): TaskResultMessage[] {
  return recorder.ofRole<TaskResultMessage>('results').flatMap((m) => (m.value?.runId === runId ? [m.value] : []));
}

/** Dead letters whose original record came from this topic. */
function deadLettersFrom(recorder: FlowRecorder, topic: string): DeadLetterMessage[] {
  return recorder.ofRole<DeadLetterMessage>('dlq').flatMap((m) => (m.value?.originalTopic === topic ? [m.value] : []));
}

/** `perPartition` run ids for every partition (runs are keyed by runId), so every partition owner gets work. */
function runIdsOverPartitions(label: string, partitions: number, perPartition: number): string[] {
  const byPartition: string[][] = Array.from({ length: partitions }, () => []);
  while (byPartition.some((ids) => ids.length < perPartition)) {
    const runId = `run-${label}-${randomBytes(6).toString('hex')}`;
    const ids = byPartition[partitionForKey(runId, partitions)]!;
    if (ids.length < perPartition) ids.push(runId);
  }
  return byPartition.flat();
}

describe('executors join and leave at runtime', () => {
  // Regression: kafkajs restarted a consumer whose handler was aborted by stop(), so the stopped executor
  // rejoined its group and kept taking (and crashing on) tasks that nobody would ever answer.
  it('an executor stopped mid-task stays stopped: it leaves its group for good and its task goes to the other member', async () => {
    const group = (prefix: string) => `${prefix}.importers`;
    const { recorder, config, engine, executor, prefix } = await world('stop-mid-task', { watchGroups: (p) => [group(p)] });
    const leaving = await executor('import-executor', behaviours.slow(30_000), group(prefix));
    const staying = await executor('import-executor', behaviours.succeed(), group(prefix));
    await expect(recorder).toHaveRebalancedTo(group(prefix), 2, config.tasks.topic, config.partitions, { timeoutMs: 20_000 });
    const runIds = runIdsOverPartitions('stop', config.partitions, 1);
    for (const runId of runIds) await engine.startRun('bulk-import', { tenantId: 'acme', runId });

    await vi.waitFor(() => expect(leaving.stats().received).toBe(1), { timeout: 10_000 });
    await leaving.stop();
    await expect(recorder).toHaveRebalancedTo(group(prefix), 1, config.tasks.topic, config.partitions, { timeoutMs: 20_000 });
    for (const runId of runIds) await expect(recorder).toHaveCompletedRun(runId, { timeoutMs: 20_000 });
    expect(staying.answered).toHaveLength(runIds.length);
    expect(leaving.stats().received).toBe(1);
    expect(leaving.answered).toEqual([]);
    // Still one member after the redelivered task was answered.
    await expect(recorder).toHaveRebalancedTo(group(prefix), 1, config.tasks.topic, config.partitions, { timeoutMs: 0 });
  });
});

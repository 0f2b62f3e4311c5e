import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type GamelanKafkaConfig, topicNames } from '../config/index.js';
import type { StartedBroker } from '../brokers/types.js';
import { FakeEngine } from '../engine/engine.js';
import { startChildExecutor } from '../executors/child-executor.js';
import { FakeExecutor } from '../executors/executor.js';
import { FlowRecorder } from '../recorder/recorder.js';
import { decodeForRecorder } from '../recorder/decode.js';
import { planTopics, provisionTopics } from '../topics/index.js';
import { startMockServices } from '../../mocks/index.js';
import { type ScenarioContext, ScenarioAssertionError, seededFaker } from './context.js';
import type { ScenarioDefinition } from './define.js';
import type { RunSummary, ScenarioResult, StepResult } from './result.js';

export interface LoadedScenario {
  readonly definition: ScenarioDefinition;
  readonly file: string;
}

export interface RunScenariosOptions {
  readonly broker: StartedBroker;
  readonly config: GamelanKafkaConfig;
  /** Called as each scenario starts and ends (console progress). */
  readonly onScenario?: (event: { readonly name: string; readonly result?: ScenarioResult }) => void;
  readonly log?: (message: string) => void;
  /** Write each scenario's recorded flow here as <scenario>.jsonl. */
  readonly recordDir?: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Play scenarios one after the other on one broker, each on its own topics and groups. */
export async function runScenarios(scenarios: readonly LoadedScenario[], options: RunScenariosOptions): Promise<RunSummary> {
  const started = Date.now();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    options.onScenario?.({ name: scenario.definition.name });
    const result = await playScenario(scenario, options);
    results.push(result);
    options.onScenario?.({ name: scenario.definition.name, result });
  }
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    bootstrapServers: options.broker.bootstrapServers,
    kafka: options.broker.kind,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    scenarios: results,
  };
}

/** The scenario's configuration: its own topic names (a unique prefix) and group ids, its overrides. */
export function scenarioConfig(base: GamelanKafkaConfig, prefix: string, definition: ScenarioDefinition): GamelanKafkaConfig {
  const names = topicNames(base);
  return {
    ...base,
    partitions: definition.config?.partitions ?? base.partitions,
    tasks: { topic: `${prefix}.${names.tasks}` },
    results: { topic: `${prefix}.${names.results}` },
    events: { topic: `${prefix}.${names.events}` },
    status: { topic: `${prefix}.${names.status}` },
    dlq: { ...base.dlq, ...definition.config?.dlq, topic: `${prefix}.${names.dlq}` },
    // Fast failure detection for scenarios: a crashed member is noticed in seconds, not 30 s.
    consumer: { ...base.consumer, groupId: `${prefix}.${base.consumer.groupId}`, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500 },
  };
}

async function playScenario({ definition, file }: LoadedScenario, options: RunScenariosOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const steps: StepResult[] = [];
  const measurements: Record<string, unknown> = {};
  const prefix = `s-${definition.name}-${randomBytes(3).toString('hex')}`;
  const config = scenarioConfig(options.config, prefix, definition);
  const cleanups: (() => Promise<void>)[] = [];
  const abort = new AbortController();
  let error: string | undefined;
  const kafka = options.broker.kafka(`gamelan-scenario-${definition.name}`);
  try {
    const admin = await options.broker.admin();
    await provisionTopics(admin, planTopics(config, options.broker.brokerCount).topics);
    const recorder = await FlowRecorder.start({ kafka, config, decode: decodeForRecorder, watchGroups: [config.consumer.groupId] });
    cleanups.push(async () => {
      if (options.recordDir) {
        mkdirSync(options.recordDir, { recursive: true });
        recorder.exportJsonLines(path.join(options.recordDir, `${definition.name}.jsonl`));
      }
      await recorder.stop();
    });
    const mocks = startMockServices();
    cleanups.push(() => mocks.stop());
    const seed = createHash('sha256').update(definition.name).digest().readUInt32BE(0);
    const context: ScenarioContext = {
      kafka,
      bootstrapServers: options.broker.bootstrapServers,
      admin,
      config,
      topics: topicNames(config),
      prefix,
      recorder,
      mocks,
      faker: seededFaker(seed),
      signal: abort.signal,
      async startEngine(engineOptions = {}) {
        const engine = await FakeEngine.start({ kafka, config, groupId: `${prefix}.gamelan-engine`, ...engineOptions });
        cleanups.push(() => engine.stop());
        return engine;
      },
      async startExecutor(executorOptions) {
        const executor = await FakeExecutor.start({ kafka, config, ...executorOptions });
        cleanups.push(() => executor.stop());
        return executor;
      },
      async startExecutorProcess(childOptions) {
        const child = await startChildExecutor({ bootstrapServers: options.broker.bootstrapServers, config, ...childOptions });
        cleanups.push(() => child.stop());
        return child;
      },
      async step(name, fn) {
        const t0 = Date.now();
        try {
          const value = await fn();
          steps.push({ name, status: 'passed', durationMs: Date.now() - t0 });
          return value;
        } catch (e) {
          steps.push({ name, status: 'failed', durationMs: Date.now() - t0, error: (e as Error).message });
          throw e;
        }
      },
      async check(result) {
        const r = await result;
        if (!r.pass) throw new ScenarioAssertionError(r.message());
      },
      measure(name, value) {
        measurements[name] = value;
      },
      log(message) {
        options.log?.(`[${definition.name}] ${message}`);
      },
    };
    const timeoutMs = definition.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      definition.run(context),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new Error(`scenario timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    abort.abort();
    // Independent clients: stop them together (each disconnect waits for its in-flight fetch).
    await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
  }
  return {
    name: definition.name,
    description: definition.description,
    file,
    status: error === undefined ? 'passed' : 'failed',
    durationMs: Date.now() - started,
    steps,
    ...(error === undefined ? {} : { error }),
    measurements,
  };
}

import { createHash } from 'node:crypto';
import type { GamelanKafkaConfig } from '../config/index.js';
import type { StartedBroker } from '../brokers/types.js';
import type { DialectName } from '../protocol/dialects/topics.js';
import type { FlowRecorder } from '../recorder/recorder.js';
import { type Recording, recordingOf, writeRecording } from '../recorder/recording.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { scenarioContext, seededFaker } from './context.js';
import type { ScenarioDefinition } from './define.js';
import type { RunSummary, ScenarioResult, StepResult } from './result.js';

export interface LoadedScenario {
  readonly definition: ScenarioDefinition;
  readonly file: string;
}

export interface RunScenariosOptions {
  readonly broker: StartedBroker;
  readonly config: GamelanKafkaConfig;
  /** The wire dialect the scenarios are played in (engine, executors, recorder); default `spec`. */
  readonly dialect?: DialectName;
  /** Called as each scenario starts and ends (console progress). */
  readonly onScenario?: (event: { readonly name: string; readonly result?: ScenarioResult }) => void;
  readonly log?: (message: string) => void;
  /** Write each scenario's recording here: <scenario>.jsonl (the flow), .groups.jsonl and .lag.jsonl. */
  readonly recordDir?: string;
  /** Given each scenario's recording as it ends (the HTML report is built from it). */
  readonly onRecording?: (name: string, recording: Recording) => void;
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

async function playScenario({ definition, file }: LoadedScenario, options: RunScenariosOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const steps: StepResult[] = [];
  const measurements: Record<string, unknown> = {};
  const abort = new AbortController();
  let error: string | undefined;
  let workspace: Workspace | undefined;
  let recorder: FlowRecorder | undefined;
  try {
    workspace = await openWorkspace(options.broker, options.config, {
      name: `s-${definition.name}`,
      clientId: `gamelan-scenario-${definition.name}`,
      overrides: definition.config ?? {},
      ...(options.dialect ? { dialect: options.dialect } : {}),
    });
    // Every group of the scenario is watched (each executor type may have its own), for the report's timelines and lag.
    const own = `${workspace.prefix}.`;
    recorder = await workspace.startRecorder({ watchGroups: [workspace.config.consumer.groupId], discoverGroups: (id) => id.startsWith(own) });
    const seed = createHash('sha256').update(definition.name).digest().readUInt32BE(0);
    const context = scenarioContext(workspace, {
      recorder,
      mocks: workspace.startMocks(),
      faker: seededFaker(seed),
      signal: abort.signal,
      steps,
      measurements,
      log: (message) => options.log?.(`[${definition.name}] ${message}`),
    });
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
    if (recorder && options.recordDir) exportRecording(recorder, options.recordDir, definition.name, options.log);
    if (recorder) options.onRecording?.(definition.name, recordingOf(recorder));
    await workspace?.stop();
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

/** The flow as <scenario>.jsonl; a failure to write it is logged, not a scenario failure (the run's result stands). */
function exportRecording(recorder: FlowRecorder, dir: string, name: string, log: ((message: string) => void) | undefined): void {
  try {
    writeRecording(dir, name, recordingOf(recorder));
  } catch (e) {
    log?.(`[${name}] could not write the recorded flow to ${dir}: ${(e as Error).message}`);
  }
}

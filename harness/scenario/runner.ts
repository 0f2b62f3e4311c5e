import type { GamelanKafkaConfig } from '../config/index.js';
import type { StartedBroker } from '../brokers/types.js';
import type { DialectName } from '../vocabulary.js';
import type { GroupProtocol } from '../clients/client-api.js';
import { checkHistory, orderedByRunFor, renderHistoryReport } from '../checker/index.js';
import { type ClusterFaults, faultsUnavailable, openClusterFaults } from '../faults/cluster-faults.js';
import type { AdvertisedProxies } from '../faults/advertised.js';
import type { StartedToxiproxy } from '../faults/toxiproxy-server.js';
import type { FlowRecorder } from '../recorder/recorder.js';
import { type Recording, recordingOf, writeRecording } from '../recorder/recording.js';
import { openWorkspace, type RemoveWhenStopped, type Workspace } from '../workspace/workspace.js';
import { scenarioContext } from './context.js';
import { FaultLog, type FaultSchedule, loggedClusterFaults } from './fault-schedule.js';
import { randomSeed, SeededRandom } from './seed.js';
import type { ScenarioDefinition } from './define.js';
import type { RunSummary, ScenarioHistory, ScenarioResult, StepResult } from './result.js';

export interface ImportedScenario {
  readonly definition: ScenarioDefinition;
  readonly file: string;
}

export interface RunScenariosOptions {
  readonly broker: StartedBroker;
  readonly config: GamelanKafkaConfig;
  /** The wire dialect the scenarios are played in (engine, executors, recorder); default `spec`. */
  readonly dialect?: DialectName;
  /** The group protocol of the engine and executors (default GAMELAN_KAFKA_GROUP_PROTOCOL, else classic; `consumer` needs the platformatic client). */
  readonly groupProtocol?: GroupProtocol;
  /** Called as each scenario starts and ends (console progress). */
  readonly onScenario?: (event: { readonly name: string; readonly result?: ScenarioResult }) => void;
  readonly log?: (message: string) => void;
  /** Write each scenario's recording here: <scenario>.jsonl (the flow), .groups.jsonl and .lag.jsonl. */
  readonly recordDir?: string;
  /** Given each scenario's recording as it ends (the HTML report is built from it). */
  readonly onRecording?: (name: string, recording: Recording) => void;
  /**
   * A Toxiproxy server (the caller's: started and stopped by it) for scenarios that declare `needs.faults`;
   * without it, or on a cluster whose broker nodes the harness does not run (external, compose, `up`'s), they are skipped with the reason.
   */
  readonly toxiproxy?: StartedToxiproxy;
  /**
   * The proxies the brokers advertise (stackForScenarios makes them): the one fault lane of a client without a
   * socket hook (`--client platformatic`); without them, its scenarios that need faults are skipped with the reason.
   */
  readonly advertised?: AdvertisedProxies;
  /** Fail every scenario whose recorded flow has history anomalies (`run --strict-history`); default: only those that ask. */
  readonly strictHistory?: boolean;
  /** On a cluster the caller did not start: remove each scenario's topics and groups when it ends. */
  readonly removeWhenStopped?: RemoveWhenStopped;
  /** Aborted (Ctrl-C): the playing scenario fails as interrupted, the ones after it are skipped; the summary is partial. */
  readonly signal?: AbortSignal;
  /**
   * The seed every scenario draws its random choices from (fault timing and victims, data): each scenario's
   * streams come from (seed, its name, purpose). Default: one drawn at random, recorded in the summary.
   */
  readonly seed?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Play scenarios one after the other on one broker, each on its own topics and groups. */
export async function runScenarios(
  scenarios: readonly ImportedScenario[],
  options: RunScenariosOptions,
): Promise<RunSummary> {
  const started = Date.now();
  const results: ScenarioResult[] = [];
  const seed = options.seed ?? randomSeed();
  for (const scenario of scenarios) {
    if (options.signal?.aborted) {
      const { name, description } = scenario.definition;
      results.push({
        name,
        description,
        file: scenario.file,
        status: 'skipped',
        durationMs: 0,
        steps: [],
        skipReason: 'interrupted before it started',
        measurements: {},
        seed,
      });
      continue;
    }
    options.onScenario?.({ name: scenario.definition.name });
    const result = await playScenario(scenario, options, seed);
    results.push(result);
    options.onScenario?.({ name: scenario.definition.name, result });
  }
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    bootstrapServers: options.broker.bootstrapServers,
    kafka: options.broker.kind,
    seed,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    scenarios: results,
  };
}

async function playScenario(
  { definition, file }: ImportedScenario,
  options: RunScenariosOptions,
  seed: number,
): Promise<ScenarioResult> {
  const started = Date.now();
  const steps: StepResult[] = [];
  const measurements: Record<string, unknown> = {};
  const faultClients = options.advertised ? { advertised: options.advertised } : {};
  const skipReason = faultsUnavailable(
    definition.needs,
    options.broker,
    definition.needs?.faults ? options.toxiproxy : undefined,
    faultClients,
  );
  if (skipReason !== undefined) {
    options.log?.(`[${definition.name}] skipped: ${skipReason}`);
    return {
      name: definition.name,
      description: definition.description,
      file,
      status: 'skipped',
      durationMs: 0,
      steps,
      skipReason,
      measurements,
      seed,
    };
  }
  const abort = new AbortController();
  let error: string | undefined;
  let workspace: Workspace | undefined;
  let recorder: FlowRecorder | undefined;
  let faults: ClusterFaults | undefined;
  let history: ScenarioHistory | undefined;
  const faultLog = new FaultLog();
  let schedule: FaultSchedule | undefined;
  try {
    if (definition.needs?.faults) faults = await openClusterFaults(options.broker, options.toxiproxy!, faultClients);
    workspace = await openWorkspace(options.broker, options.config, {
      ...(faults ? { network: faults.network } : {}),
      name: `s-${definition.name}`,
      clientId: `gamelan-scenario-${definition.name}`,
      overrides: definition.config ?? {},
      ...(options.dialect ? { dialect: options.dialect } : {}),
      ...(options.groupProtocol ? { groupProtocol: options.groupProtocol } : {}),
      ...(options.removeWhenStopped ? { removeWhenStopped: options.removeWhenStopped } : {}),
    });
    // Every group of the scenario is watched (each executor type may have its own), for the report's timelines and lag.
    const own = `${workspace.prefix}.`;
    recorder = await workspace.startRecorder({
      watchGroups: [workspace.config.consumer.groupId],
      discoverGroups: (id) => id.startsWith(own),
    });
    const context = scenarioContext(workspace, {
      recorder,
      mocks: await workspace.startMocks(),
      random: new SeededRandom(seed, definition.name),
      faultLog,
      signal: abort.signal,
      ...(faults ? { faults: loggedClusterFaults(faults, faultLog) } : {}),
      steps,
      measurements,
      log: (message) => options.log?.(`[${definition.name}] ${message}`),
    });
    const timeoutMs = definition.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let onInterrupt: (() => void) | undefined;
    await Promise.race([
      definition.run(context),
      new Promise<never>((_, reject) => {
        onInterrupt = () => {
          abort.abort();
          reject(new Error('interrupted (Ctrl-C)'));
        };
        if (options.signal?.aborted) onInterrupt();
        else options.signal?.addEventListener('abort', onInterrupt, { once: true });
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new Error(`scenario timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      if (onInterrupt) options.signal?.removeEventListener('abort', onInterrupt);
    });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    abort.abort();
    // Faults off first (toxics removed, paused nodes resumed), so the clients' goodbyes are not held up; the proxies go last.
    await faults?.network.heal().catch(() => undefined);
    await faults?.brokers.stop();
    schedule = faultLog.snapshot();
    if (recorder && workspace) {
      history = judgeHistory(recorder, workspace.dialect, historyPolicy(definition, options));
      if (!history.ok) options.log?.(`[${definition.name}] history checker:\n${renderHistoryReport(history)}`);
      if (!history.ok && history.policy === 'fail' && error === undefined)
        error = `history anomalies: ${anomalySummary(history)}`;
    }
    if (recorder && options.recordDir) exportRecording(recorder, options.recordDir, definition.name, options.log);
    if (recorder) options.onRecording?.(definition.name, recordingOf(recorder));
    await workspace?.stop();
    await faults?.stop();
  }
  return {
    name: definition.name,
    description: definition.description,
    file,
    status: error === undefined ? 'passed' : 'failed',
    durationMs: Date.now() - started,
    steps,
    ...(error === undefined ? {} : { error }),
    ...(history ? { history } : {}),
    measurements,
    seed,
    ...(schedule && (schedule.planned.length > 0 || schedule.applied.length > 0) ? { faults: schedule } : {}),
  };
}

/** `fail` when the scenario asks (`checkHistory: 'fail'`), is tagged chaos, or the run is strict; else `report`. */
export function historyPolicy(
  definition: ScenarioDefinition,
  options: Pick<RunScenariosOptions, 'strictHistory'>,
): 'report' | 'fail' {
  return options.strictHistory || definition.checkHistory === 'fail' || definition.tags?.includes('chaos')
    ? 'fail'
    : 'report';
}

/** The checker on the scenario's flow, with the order its dialect promises (upstream events are unkeyed). */
function judgeHistory(
  recorder: FlowRecorder,
  dialect: Workspace['dialect'],
  policy: 'report' | 'fail',
): ScenarioHistory {
  const { ok, counts, stats, examples } = checkHistory(recorder, { orderedByRun: orderedByRunFor(dialect) });
  return { ok, counts, stats, examples, policy };
}

const anomalySummary = (history: ScenarioHistory): string =>
  Object.entries(history.counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');

/** The flow as <scenario>.jsonl; a failure to write it is logged, not a scenario failure (the run's result stands). */
function exportRecording(
  recorder: FlowRecorder,
  dir: string,
  name: string,
  log: ((message: string) => void) | undefined,
): void {
  try {
    writeRecording(dir, name, recordingOf(recorder));
  } catch (e) {
    log?.(`[${name}] could not write the recorded flow to ${dir}: ${(e as Error).message}`);
  }
}

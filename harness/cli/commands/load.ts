import type { Argv } from 'yargs';
import { BEHAVIOUR_SPECS, handlerFor } from '../../executors/behaviour-spec.js';
import { parseDuration, parseSlo, type Slo } from '../../load/slo.js';
import type { LoadRunReport } from '../../load/run-load.js';
import type { SloVerdict } from '../../load/slo.js';
import type { CommandBody } from '../lazy-command.js';
import { announceCluster, UP_STATE_FILE_OPTION } from '../cluster-choice.js';
import { type BrokerArgs, withBrokerOptions } from '../options.js';
import { type ClientArgs, withClientOption } from '../client-option.js';
import { type GroupProtocolArgs, withGroupProtocolOption } from '../group-protocol-option.js';
import { checkNumbers } from '../validate.js';
import { clusterCleanup, KEEP_OPTION } from '../cluster-cleanup.js';
import { EXIT_INTERRUPTED, handleInterrupts } from '../interrupt.js';

interface LoadArgs extends BrokerArgs, ClientArgs, GroupProtocolArgs {
  keep: boolean;
  stateFile?: string | undefined;
  rate?: number | undefined;
  duration?: string | undefined;
  tasks?: number | undefined;
  executors: number;
  behaviour?: string | undefined;
  executorCmd?: string | undefined;
  type?: string | undefined;
  maxInFlight: number;
  taskTimeout: number;
  joinTimeout: number;
  drainTimeout: number;
  slo: string[];
  json: boolean;
  showOutput: boolean;
  context?: string | undefined;
}

/** --context: one JSON object, or an Error naming the option, the value and what is allowed. */
function parseContext(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `--context ${JSON.stringify(text)} is not JSON (${(error as Error).message}): give one JSON object, e.g. --context '{"amount": 12.5}'.`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `--context ${JSON.stringify(text)} is not a JSON object: give one, e.g. --context '{"amount": 12.5}'.`,
    );
  }
  return value as Record<string, unknown>;
}

const DEFAULT_TASKS = 1_000;

export const loadCommand: CommandBody<LoadArgs> = {
  builder: (yargs: Argv) =>
    withGroupProtocolOption(withClientOption(withBrokerOptions(yargs)))
      .option('state-file', UP_STATE_FILE_OPTION)
      .option('rate', {
        type: 'number',
        describe: 'Tasks started per second (default: as fast as the engine takes them)',
      })
      .option('duration', { type: 'string', describe: 'Keep starting tasks this long: 30s, 2m, 1500ms' })
      .option('tasks', {
        type: 'number',
        describe: `Start this many tasks (default ${DEFAULT_TASKS} when neither --tasks nor --duration is given; with both, whichever ends first)`,
      })
      .option('executors', { type: 'number', default: 3, describe: 'In-process fake executors answering the tasks' })
      .option('behaviour', {
        type: 'string',
        describe: `What the fake executors do: ${BEHAVIOUR_SPECS.join(', ')} (default succeed)`,
      })
      .option('executor-cmd', {
        type: 'string',
        describe:
          'A real executor instead of the fakes: shell command that starts it (it reads GAMELAN_* from its environment, as for `contract`)',
      })
      .option('type', {
        type: 'string',
        describe: 'The executor type the tasks target (needed with --executor-cmd; default load-executor)',
      })
      .option('max-in-flight', {
        type: 'number',
        default: 5_000,
        describe: 'Tasks started and not yet answered, at most',
      })
      .option('task-timeout', {
        type: 'number',
        default: 30_000,
        describe: 'ms a task may take before the engine times its attempt out',
      })
      .option('join-timeout', {
        type: 'number',
        default: 60_000,
        describe: 'ms the --executor-cmd executor may take to join its group',
      })
      .option('drain-timeout', {
        type: 'number',
        default: 60_000,
        describe: 'ms to wait for the last answers once starting stopped; tasks unanswered then are lost',
      })
      .option('slo', {
        type: 'string',
        array: true,
        default: [],
        describe: 'Fail (exit 1) unless met, e.g. --slo "p99<200ms" --slo "throughput>=500/s"; repeatable',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON on stdout (for CI)' })
      .option('keep', KEEP_OPTION)
      .option('context', {
        type: 'string',
        describe:
          'Every task\'s context as a JSON object (what your executor needs, e.g. \'{"amount": 12.5}\'); "row" is set to the task\'s index',
      })
      .option('show-output', { type: 'boolean', default: false, describe: "Echo the --executor-cmd executor's output" })
      .check((argv) => {
        for (const name of ['executor-cmd', 'type', 'behaviour', 'duration', 'context'] as const) {
          if (Array.isArray(argv[name]))
            throw new Error(`--${name} is given ${(argv[name] as unknown[]).length} times: give it once.`);
        }
        checkNumbers(argv, {
          rate: { min: 0.001, integer: false, unit: 'tasks per second' },
          tasks: { min: 1 },
          executors: { min: 1, max: 64 },
          'max-in-flight': { min: 1 },
          'task-timeout': { min: 1, unit: 'ms' },
          'join-timeout': { min: 1, unit: 'ms' },
          'drain-timeout': { min: 1, unit: 'ms' },
        });
        if (argv.duration !== undefined) parseDuration(String(argv.duration));
        if (argv.context !== undefined) parseContext(String(argv.context));
        for (const slo of argv.slo as string[]) parseSlo(String(slo));
        if (argv.executorCmd !== undefined) {
          if (!String(argv.executorCmd).trim())
            throw new Error('--executor-cmd is empty: give the command that starts your executor.');
          if (argv.type === undefined)
            throw new Error(
              '--executor-cmd needs --type: the executor type your executor serves (targetExecutor of its tasks).',
            );
          if (argv.behaviour !== undefined)
            throw new Error(
              '--behaviour is for the fake executors; it cannot change what --executor-cmd does. Give one of them.',
            );
        }
        if (argv.type !== undefined && !/^[A-Za-z0-9._-]+$/.test(String(argv.type)))
          throw new Error(
            `--type ${JSON.stringify(argv.type)} is not an executor type: letters, digits, '.', '_', '-'.`,
          );
        if (argv.behaviour !== undefined) handlerFor(String(argv.behaviour), '--behaviour');
        return true;
      }) as unknown as Argv<LoadArgs>,
  handler: async (argv) => {
    // First line: which cluster the load goes to (a named one, `up`'s, or one started here).
    const { options } = announceCluster(argv, { useUp: true });
    const slos: Slo[] = argv.slo.map((s) => parseSlo(s));
    const durationMs = argv.duration === undefined ? undefined : parseDuration(argv.duration);
    const runs = argv.tasks ?? (durationMs === undefined ? DEFAULT_TASKS : undefined);
    const [
      { startStack },
      { registerCleanup },
      { runLoad },
      { checkSlos },
      { progressReporter, warn },
      { stdoutColors, stderrColors: pc },
    ] = await Promise.all([
      import('../../stack/start-stack.js'),
      import('../../lifecycle/index.js'),
      import('../../load/run-load.js'),
      import('../../load/slo.js'),
      import('../progress.js'),
      import('../../colors.js'),
    ]);
    const live = process.stderr.isTTY === true && !argv.json;
    const stack = await startStack({ ...options, onProgress: progressReporter(), onWarning: warn });
    const abort = new AbortController();
    const unregister = registerCleanup({
      name: 'harness stack',
      stop: () => (abort.abort(), stack.stop()),
      killSync: () => {},
    });
    const cleanup = clusterCleanup(stack.broker.kind, argv.keep);
    // Ctrl-C: starting stops, the report covers what ran; a second Ctrl-C stops the broker at once.
    const { silenceKafkaLogs } = await import('../../clients/log.js');
    const interrupts = handleInterrupts(() => {
      silenceKafkaLogs();
      abort.abort();
    });
    try {
      const report = await runLoad({
        ...(cleanup.removeWhenStopped ? { removeWhenStopped: cleanup.removeWhenStopped } : {}),
        broker: stack.broker,
        config: stack.config.gamelan,
        ...(argv.type === undefined ? {} : { executorType: argv.type }),
        executors: argv.executors,
        ...(argv.behaviour === undefined ? {} : { behaviour: argv.behaviour }),
        ...(argv.executorCmd === undefined ? {} : { executorCommand: argv.executorCmd }),
        joinTimeoutMs: argv.joinTimeout,
        taskTimeoutMs: argv.taskTimeout,
        ...(runs === undefined ? {} : { runs }),
        ...(durationMs === undefined ? {} : { durationMs }),
        ...(argv.rate === undefined ? {} : { rate: argv.rate }),
        maxInFlight: argv.maxInFlight,
        drainTimeoutMs: argv.drainTimeout,
        ...(argv.context === undefined ? {} : { context: parseContext(argv.context) }),
        signal: abort.signal,
        onStep: (m) => process.stderr.write(`${pc.dim(`▶ ${m}`)}\n`),
        ...(argv.showOutput
          ? { onExecutorOutput: (line: string) => process.stderr.write(`${pc.dim(`[executor] ${line}`)}\n`) }
          : {}),
        ...(live
          ? {
              onProgress: (p) =>
                process.stderr.write(
                  `\r\x1b[2K${(p.elapsedMs / 1000).toFixed(1)} s  ${Math.round(p.rate).toLocaleString('en-US')}/s  in flight ${p.inFlight}  lag ${p.lag ?? '?'}  ` +
                    `p99 ${p.p99Ms === undefined ? '?' : `${p.p99Ms.toFixed(1)} ms`}  answered ${p.ended.toLocaleString('en-US')}/${p.started.toLocaleString('en-US')}  ` +
                    `harness rss ${Math.round(p.rssMb)} MB heap ${Math.round(p.heapUsedMb)} MB`,
                ),
            }
          : {}),
      });
      if (live) process.stderr.write('\r\x1b[2K');
      const cleaned = cleanup.summary(stack.broker.bootstrapServers);
      if (cleaned) process.stderr.write(`${cleaned}\n`);
      const verdicts = checkSlos(slos, report);
      if (argv.json) process.stdout.write(`${JSON.stringify({ ...report, slos: verdicts }, null, 2)}\n`);
      else process.stdout.write(renderLoadReport(report, verdicts, stdoutColors));
      if (verdicts.some((v) => !v.met) || report.lost > 0 || report.duplicated > 0) process.exitCode = 1;
      if (interrupts.interrupted) {
        process.stderr.write(
          'Interrupted: the report covers the tasks started before Ctrl-C (those unanswered when it stopped count as lost); the broker is being stopped.\n',
        );
        process.exitCode = EXIT_INTERRUPTED;
      }
    } finally {
      await stack.stop();
      unregister();
      interrupts.dispose();
    }
  },
};

/** The harness process's own memory: an executor in its own process is not in these figures. */
function renderMemory(m: LoadRunReport['memory']): string {
  const mb = (x: number) => `${Math.round(x).toLocaleString('en-US')} MB`;
  const after =
    m.rssAfterWarmupMb === null
      ? ''
      : `; ${mb(m.rssAfterWarmupMb)} after the first minute${m.rssSlopeMbPerMin === null ? '' : `, ${m.rssSlopeMbPerMin >= 0 ? '+' : ''}${m.rssSlopeMbPerMin.toFixed(1)} MB/min since`}`;
  return `harness rss ${mb(m.rssMb)} (peak ${mb(m.rssPeakMb)}), heap ${mb(m.heapUsedMb)} (peak ${mb(m.heapUsedPeakMb)})${after}`;
}

type Colors = Pick<import('../../colors.js').Colors, 'red' | 'green' | 'yellow'>;

export function renderLoadReport(r: LoadRunReport, verdicts: readonly SloVerdict[], pc: Colors): string {
  const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const bad = (x: number) => (x > 0 ? pc.red(n(x)) : pc.green(n(x)));
  const l = r.latency;
  const lines = [
    `load: ${n(r.started)} tasks against ${r.executor} (${r.client} client, ${r.groupProtocol} group protocol)`,
    `  throughput  ${n(r.runsPerSecond)} tasks/s answered (${n(r.messagesPerSecond)} protocol records/s) over ${n(r.durationMs / 1000)} s`,
    `  latency ms  p50 ${n(l.p50Ms)}  p90 ${n(l.p90Ms)}  p99 ${n(l.p99Ms)}  p99.9 ${n(l.p999Ms)}  max ${n(l.maxMs)}  mean ${n(l.meanMs)}  (start → result applied, ${n(l.count)} tasks)`,
    `  lag         peak ${n(r.lagPeak)}; drained ${n(r.drainMs / 1000)} s after the last start`,
    `  answers     ${n(r.completed)} succeeded, ${bad(r.failed)} failed; lost ${bad(r.lost)}, duplicated ${bad(r.duplicated)}`,
    ...r.lostSample.slice(0, 3).map((t) => `  ${pc.yellow('lost')}        ${t}`),
    ...r.duplicatedSample.slice(0, 3).map((t) => `  ${pc.yellow('duplicated')}  ${t}`),
    `  memory      ${renderMemory(r.memory)}`,
    ...r.errors.slice(0, 5).map((e) => `  ${pc.yellow('error')}       ${e}`),
    ...verdicts.map((v) => `  SLO         ${v.slo}: ${n(v.actual)} ${v.met ? pc.green('met') : pc.red('MISSED')}`),
  ];
  return `${lines.join('\n')}\n`;
}

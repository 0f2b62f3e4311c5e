import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv } from 'yargs';
import { BrokerError } from '../../errors.js';
import type { CommandBody } from '../lazy-command.js';
import { type BrokerArgs, stackOptionsFrom, withBrokerOptions } from '../options.js';
import { PhaseTimer } from '../phases.js';
import { identityOf } from '../process-identity.js';
import { isRunning, readState, removeState, stateFilePath, writeState } from '../state.js';
import { writeClientProperties } from '../client-properties.js';
import { assertPortsFree } from '../validate.js';
import { type DialectArgs, loadOptionsFrom, withDialectOptions } from '../dialect-options.js';

interface UpArgs extends BrokerArgs, DialectArgs {
  detach: boolean;
  stateFile?: string | undefined;
  json: boolean;
}

const DETACH_TIMEOUT_MS = 180_000;

export const upCommand: CommandBody<UpArgs> = {
  builder: (yargs: Argv) =>
    withDialectOptions(withBrokerOptions(yargs))
      .option('detach', { type: 'boolean', default: false, describe: 'Leave it running in the background; stop it with `down`' })
      .option('state-file', { type: 'string', describe: 'Where to record the running harness (default .gamelan-harness/up.json)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' }) as unknown as Argv<UpArgs>,
  handler: async (argv) => {
    const stateFile = stateFilePath(argv.stateFile);
    const running = readState(stateFile);
    if (running && isRunning(running)) {
      throw new BrokerError(
        'BROKER_START_FAILED',
        `A harness is already up (pid ${running.pid}, ${running.bootstrapServers.join(',')}, state ${stateFile}). ` +
          'Stop it with `gamelan-harness down`, or pass another --state-file.',
      );
    }
    if (argv.detach) return detach(stateFile);
    const phases = new PhaseTimer();

    const [{ startStack }, { registerCleanup }, { topicNames }, { renderTopicTable }, { progressReporter, warn }] = await Promise.all([
      import('../../stack/start-stack.js'),
      import('../../lifecycle/index.js'),
      import('../../config/index.js'),
      import('../../report/topic-table.js'),
      import('../progress.js'),
    ]);
    phases.mark('node, CLI and modules loaded');
    if (argv.kafka !== 'external') await assertPortsFree(argv.port, argv.brokers);
    const stack = await startStack({ ...stackOptionsFrom(argv), load: loadOptionsFrom(argv), onProgress: phases.track(progressReporter()), onWarning: warn });
    phases.mark('topics ready');
    if ((argv as { verbose?: boolean }).verbose) process.stderr.write(phases.render('up: phases'));
    // Stopped newest first on Ctrl-C / SIGTERM / crash: the state file goes, then the stack.
    registerCleanup({ name: 'harness stack', stop: () => stack.stop(), killSync: () => {} });
    registerCleanup({
      name: 'up state file',
      stop: async () => removeState(stateFile, process.pid),
      killSync: () => removeState(stateFile, process.pid),
    });
    const { broker, topics, config } = stack;
    const identity = identityOf(process.pid);
    // Secure brokers: later commands connect with a client.properties (0600) beside the state file; up.json names it.
    const security = await writeClientProperties(stateFile, broker.security);
    if (security) {
      registerCleanup({ name: 'up client properties', stop: async () => security.remove(), killSync: () => security.remove() });
    }
    writeState(stateFile, {
      pid: process.pid,
      kind: broker.kind,
      bootstrapServers: broker.bootstrapServers,
      brokerCount: broker.brokerCount,
      logFiles: broker.logFiles,
      topics: topicNames(config.gamelan),
      configSource: config.source ?? null,
      startedAt: new Date().toISOString(),
      ...(identity ? { process: identity } : {}),
      ...(security ? { security: security.state } : {}),
    });
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ bootstrapServers: broker.bootstrapServers, kind: broker.kind, topics: topics.topics, ...(security && { security: security.state }) })}\n`);
    } else {
      process.stdout.write(`\nKafka (${broker.kind}, ${broker.brokerCount} broker${broker.brokerCount > 1 ? 's' : ''}) is up.\n`);
      process.stdout.write(`bootstrap servers: ${broker.bootstrapServers.join(',')}\n`);
      if (security) process.stdout.write(`security: ${security.state.description}; client properties (mode 0600): ${security.state.commandConfig}\n`);
      process.stdout.write(`${renderTopicTable(topics.topics)}\n`);
      if (broker.logFiles.length) process.stdout.write(`broker logs: ${broker.logFiles.join(', ')}\n`);
      process.stdout.write('Press Ctrl-C to stop.\n');
    }
    // Stay up: the lifecycle handlers stop the broker on Ctrl-C / SIGTERM.
    await new Promise<never>(() => setInterval(() => {}, 1 << 30));
  },
};

/** Re-run `up` without --detach as a detached child, wait until it has written its state, leave. */
async function detach(stateFile: string): Promise<void> {
  // The same arguments without --detach; --state-file is passed once, resolved.
  const args: string[] = [];
  const given = process.argv.slice(2);
  for (let i = 0; i < given.length; i++) {
    const arg = given[i]!;
    if (arg === '--detach' || arg === '--detach=true' || arg.startsWith('--state-file=')) continue;
    if (arg === '--state-file') {
      i++;
      continue;
    }
    args.push(arg);
  }
  const logFile = path.join(path.dirname(stateFile), 'up.log');
  mkdirSync(path.dirname(stateFile), { recursive: true });
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args, '--state-file', stateFile], {
    detached: true,
    stdio: ['ignore', out, out],
    // Its output goes to a log file: no colour (picocolors turns colour on for any FORCE_COLOR, even 0).
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'FORCE_COLOR')), NO_COLOR: '1' },
  });
  closeSync(out);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + DETACH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const state = readState(stateFile);
    if (state && state.pid === child.pid) {
      child.unref();
      process.stdout.write(`Kafka is up in the background (pid ${state.pid}).\n`);
      process.stdout.write(`bootstrap servers: ${state.bootstrapServers.join(',')}\n`);
      if (state.security) process.stdout.write(`security: ${state.security.description}; client properties (mode 0600): ${state.security.commandConfig}\n`);
      process.stdout.write(`log: ${logFile}\nstop it with: gamelan-harness down\n`);
      return;
    }
    if (exited !== undefined) break;
    await sleep(100);
  }
  if (exited === undefined) child.kill('SIGTERM');
  throw new BrokerError(
    'BROKER_START_FAILED',
    `The detached harness did not come up (${exited === undefined ? 'timed out' : `exit code ${exited}`}). Its output (${logFile}):\n` +
      readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'),
  );
}

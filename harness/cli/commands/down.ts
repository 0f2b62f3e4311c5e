import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { descendsFrom, isSameProcess, stillHoldsPid } from '../process-identity.js';
import { isAlive, isRunning, proveHarness, readStateStrict, removeState, stateFilePath } from '../state.js';

interface DownArgs {
  stateFile?: string | undefined;
}

const STOP_TIMEOUT_MS = 30_000;

export const downCommand: CommandBody<DownArgs> = {
  builder: (yargs: Argv) =>
    yargs.option('state-file', { type: 'string', describe: 'State file written by `up`' }) as unknown as Argv<DownArgs>,
  handler: async (argv) => {
    const stateFile = stateFilePath(argv.stateFile);
    const state = readStateStrict(stateFile); // corrupt or foreign: BROKER_STATE_INVALID, exit 2
    if (!state) {
      process.stdout.write(`Nothing to stop: no state file at ${stateFile}.\n`);
      return;
    }
    if (!isAlive(state.pid)) {
      removeState(stateFile);
      process.stdout.write(`The harness (pid ${state.pid}) was already gone; removed its stale state file.\n`);
      return;
    }
    // Signal only the process `up` recorded, proven from the live process (never from what the file says).
    proveHarness(stateFile, state);
    // A node paused by `fault pause` would ignore the graceful stop: continue it first (only if it is still that node).
    for (const node of state.faults?.nodes ?? [])
      if (isSameProcess(node.process) && descendsFrom(node.process.pid, state.pid))
        process.kill(node.process.pid, 'SIGCONT');
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    const holdsPid = () => stillHoldsPid(state.process!) && isAlive(state.pid);
    while (holdsPid() && Date.now() < deadline) await sleep(100);
    if (isRunning(state)) {
      // Its broker watches its parent: a hard kill still takes the JVM and temp data with it.
      process.kill(state.pid, 'SIGKILL');
      process.stderr.write(`The harness (pid ${state.pid}) did not stop in ${STOP_TIMEOUT_MS / 1000} s; killed it.\n`);
    }
    removeState(stateFile);
    process.stdout.write(`Stopped the harness (pid ${state.pid}).\n`);
  },
};

import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv } from 'yargs';
import { ConfigError, FaultError } from '../../errors.js';
import { parseDuration } from '../../load/slo.js';
import type { CommandBody } from '../lazy-command.js';
import { descendsFrom, isSameProcess } from '../process-identity.js';
import { isRunning, proveHarness, readStateStrict, stateFilePath, type UpState } from '../state.js';

// `gamelan-harness fault <kind>` against the cluster of `up --detach --fault-proxy`: network faults on the
// proxies its brokers advertise (through the Toxiproxy it started), and kill -9 / pause / resume of a native
// broker node by the pid it recorded, once that pid is proven to be the node (pid, start time, command line);
// container nodes' faults are asked of `up`, which holds their containers.
// Restart needs the process that owns the node's JVM and log directory: `fault restart` asks the detached `up`
// to do it (up-control.ts).

const NETWORK_KINDS = ['latency', 'bandwidth', 'blackhole', 'reset', 'slicer', 'down'] as const;
const BROKER_KINDS = ['kill', 'pause', 'resume', 'restart'] as const;
export const FAULT_KINDS = [...NETWORK_KINDS, ...BROKER_KINDS, 'clear', 'list'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];
type NetworkKind = (typeof NETWORK_KINDS)[number];

interface FaultArgs {
  kind: FaultKind;
  ms?: string | undefined;
  jitter?: string | undefined;
  kbps?: string | undefined;
  broker?: string | undefined;
  for?: string | undefined;
  stateFile?: string | undefined;
  json: boolean;
}

/** Which options each kind takes (beyond --state-file); anything else given is refused by name. */
const OPTIONS_OF: Record<FaultKind, readonly ('ms' | 'jitter' | 'kbps' | 'broker' | 'for')[]> = {
  latency: ['ms', 'jitter', 'broker', 'for'],
  bandwidth: ['kbps', 'broker', 'for'],
  blackhole: ['broker', 'for'],
  reset: ['broker', 'for'],
  slicer: ['broker', 'for'],
  down: ['broker', 'for'],
  kill: ['broker'],
  pause: ['broker', 'for'],
  resume: ['broker'],
  restart: ['broker'],
  clear: [],
  list: [],
};
const REQUIRED_OF: Partial<Record<FaultKind, readonly ('ms' | 'kbps' | 'broker')[]>> = {
  latency: ['ms'],
  bandwidth: ['kbps'],
  kill: ['broker'],
  pause: ['broker'],
  resume: ['broker'],
  restart: ['broker'],
};

const FIX = 'start one with `gamelan-harness up --detach --fault-proxy` (native or container brokers)';

/** A whole number ≥ min, or a ConfigError naming the option, the value and what is allowed. */
/** Most a fault number may be: Node timers (the built-in proxy) and Toxiproxy's attributes are 32-bit. */
const MAX_FAULT_NUMBER = 2_147_483_647;
const UNIT: Readonly<Record<string, string>> = { '--ms': ' ms', '--jitter': ' ms', '--kbps': ' KB/s' };

function wholeNumber(option: string, min: number, max = MAX_FAULT_NUMBER) {
  return (value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    const text = String(Array.isArray(value) ? value.at(-1) : value);
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `${option} = ${JSON.stringify(text)} is not allowed: use a whole number from ${min} to ${max}${UNIT[option] ?? ''}.`,
        { key: option, value: text },
      );
    }
    return n;
  };
}

export const faultCommand: CommandBody<FaultArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('kind', { choices: FAULT_KINDS, describe: 'The fault to inject, or clear / list' })
      // Strings, checked below: `type: 'number'` would turn `--ms fast` into NaN before the check sees it.
      .option('ms', { type: 'string', describe: 'latency: added delay in milliseconds' })
      .option('jitter', { type: 'string', describe: 'latency: ± this many milliseconds' })
      .option('kbps', { type: 'string', describe: 'bandwidth: limit in KB/s' })
      .option('broker', {
        type: 'string',
        describe: 'Broker node id (network faults: default every broker; kill/pause/resume: required)',
      })
      .option('for', {
        type: 'string',
        describe:
          'Apply, wait this long (e.g. 10s, 500ms, 2m), remove and exit; without it the fault stays until `fault clear`/`resume`',
      })
      .option('state-file', { type: 'string', describe: 'State file written by `up --detach --fault-proxy`' })
      .option('json', { type: 'boolean', default: false, describe: 'list: print JSON' })
      .check((argv) => {
        const kind = argv.kind as FaultKind;
        const allowed = OPTIONS_OF[kind];
        for (const option of ['ms', 'jitter', 'kbps', 'broker', 'for'] as const) {
          if (argv[option] !== undefined && !allowed.includes(option)) {
            throw new ConfigError(
              'CONFIG_INVALID_VALUE',
              `--${option} does not apply to \`fault ${kind}\`; it takes ${allowed.length ? allowed.map((o) => `--${o}`).join(', ') : 'no options'}.`,
              { key: `--${option}` },
            );
          }
        }
        for (const option of ['ms', 'jitter', 'kbps', 'broker'] as const) wholeNumber(`--${option}`, 0)(argv[option]);
        if (argv.for !== undefined) parseDuration(String(argv.for), '--for');
        for (const option of REQUIRED_OF[kind] ?? []) {
          if (argv[option] === undefined)
            throw new ConfigError('CONFIG_INVALID_VALUE', `\`fault ${kind}\` needs --${option}.`, {
              key: `--${option}`,
            });
        }
        return true;
      }) as unknown as Argv<FaultArgs>,
  handler: async (argv) => {
    const forMs = argv.for === undefined ? undefined : parseDuration(argv.for, '--for');
    const [ms, jitter, kbps, broker] = (['ms', 'jitter', 'kbps', 'broker'] as const).map((o) =>
      wholeNumber(`--${o}`, 0)(argv[o]),
    );
    const stateFile = stateFilePath(argv.stateFile);
    const faults = faultState(stateFile);
    const brokers = faults.proxies.map((p) => p.nodeId);
    if (broker !== undefined && !brokers.includes(broker)) {
      throw new FaultError(
        'FAULT_TARGET_UNKNOWN',
        `--broker ${broker} is not a broker of this cluster; the brokers are ${brokers.join(', ')}.`,
        { value: broker },
      );
    }
    if (argv.kind === 'restart') {
      // Only the harness that owns the node's JVM and log directory can start it again: ask it.
      const { requestUp } = await import('../up-control.js');
      process.stdout.write(`Restarting broker ${broker} on its log directory…\n`);
      const answer = await requestUp(stateFile, readStateStrict(stateFile)!, { kind: 'restart', nodeId: broker! });
      process.stdout.write(`${answer.message} (${(answer.ms / 1000).toFixed(1)} s)\n`);
      return;
    }
    if (faults.brokerFaults === 'docker' && (argv.kind === 'kill' || argv.kind === 'pause' || argv.kind === 'resume'))
      return askedBrokerFault(argv.kind, stateFile, broker!, forMs);
    if (argv.kind === 'kill' || argv.kind === 'pause' || argv.kind === 'resume')
      return brokerFault(argv.kind, stateFile, faults, broker!, forMs);

    const { AttachedFaultProxies } = await import('../../faults/attached.js');
    const proxies = new AttachedFaultProxies(faults);
    if (argv.kind === 'list') {
      const listing = await proxies.list();
      if (argv.json) {
        process.stdout.write(`${JSON.stringify(listing)}\n`);
        return;
      }
      for (const p of listing) {
        const toxics = p.toxics.map((t) => `${t.type} ${t.stream} ${JSON.stringify(t.attributes)}`);
        process.stdout.write(
          `broker ${p.nodeId} via ${p.listen}: ${p.enabled ? 'up' : 'DOWN'}${toxics.length ? `, ${toxics.join('; ')}` : ', no faults'}\n`,
        );
      }
      return;
    }
    if (argv.kind === 'clear') {
      const removed = await proxies.clear();
      process.stdout.write(`Cleared ${removed} fault${removed === 1 ? '' : 's'}; every proxy is up with no toxics.\n`);
      return;
    }
    const kind: NetworkKind = argv.kind;
    const applied = await proxies.apply(
      kind,
      { latencyMs: ms, jitterMs: jitter, kbPerSecond: kbps },
      broker === undefined ? undefined : [broker],
    );
    if (forMs === undefined) {
      process.stdout.write(
        `Applied ${applied.description}. It stays until \`gamelan-harness fault clear${argv.stateFile ? ` --state-file ${stateFile}` : ''}\`.\n`,
      );
      return;
    }
    await holdFor(`${applied.description}`, forMs, () => applied.remove());
  },
};

/** up.json's fault proxy, or a bad-input error with the fix. */
function faultState(stateFile: string): NonNullable<UpState['faults']> {
  const state = readStateStrict(stateFile);
  if (!state || !isRunning(state)) {
    throw new FaultError(
      'FAULT_TARGET_UNKNOWN',
      `No running harness to inject faults into (state file ${stateFile} ${state ? `names pid ${state.pid}, which is gone` : 'does not exist'}): ${FIX}.`,
      { value: stateFile },
    );
  }
  if (!state.faults) {
    throw new FaultError(
      'FAULT_TARGET_UNKNOWN',
      `The harness of ${stateFile} (pid ${state.pid}) was started without a fault proxy: stop it with \`gamelan-harness down\` and ${FIX}.`,
      { value: stateFile },
    );
  }
  return state.faults;
}

/** Keep a fault for `forMs`, then undo it; Ctrl-C / SIGTERM undo it too (the lifecycle registry). */
async function holdFor(description: string, forMs: number, undo: () => Promise<void>): Promise<void> {
  const { registerCleanup } = await import('../../lifecycle/index.js');
  let undone: Promise<void> | undefined;
  const once = () => (undone ??= undo());
  const unregister = registerCleanup({ name: `fault ${description}`, stop: once, killSync: () => {} });
  process.stdout.write(`Applied ${description} for ${forMs} ms…\n`);
  try {
    await sleep(forMs);
  } finally {
    await once();
    unregister();
  }
  process.stdout.write(`Removed ${description}.\n`);
}

/** kill -9 / pause / resume of a container node: asked of the `up` that holds it (through its Docker client). */
async function askedBrokerFault(
  kind: 'kill' | 'pause' | 'resume',
  stateFile: string,
  nodeId: number,
  forMs: number | undefined,
): Promise<void> {
  const { requestUp } = await import('../up-control.js');
  const ask = async (what: typeof kind) =>
    (await requestUp(stateFile, readStateStrict(stateFile)!, { kind: what, nodeId })).message;
  if (kind !== 'pause' || forMs === undefined) {
    process.stdout.write(`${await ask(kind)}\n`);
    return;
  }
  await ask('pause');
  await holdFor(`pause of broker ${nodeId}`, forMs, async () => void (await ask('resume')));
}

/** kill -9 / SIGSTOP / SIGCONT a broker node, once its pid is proven to be the node `up` recorded. */
async function brokerFault(
  kind: 'kill' | 'pause' | 'resume',
  stateFile: string,
  faults: NonNullable<UpState['faults']>,
  nodeId: number,
  forMs: number | undefined,
): Promise<void> {
  // The node must be a child of a proven harness: a state file could name any process as a "node".
  const state = readStateStrict(stateFile)!;
  proveHarness(stateFile, state);
  const node = faults.nodes.find((n) => n.nodeId === nodeId);
  if (!node || !isSameProcess(node.process) || !descendsFrom(node.process.pid, state.pid)) {
    throw new FaultError(
      'FAULT_FAILED',
      `broker ${nodeId}${node ? ` (pid ${node.process.pid})` : ''} is not running as \`up\` started it (killed earlier, or its pid now names another process); nothing was signalled. ` +
        `A killed node comes back with \`gamelan-harness fault restart --broker ${nodeId}\`.`,
      { value: nodeId },
    );
  }
  const { pid } = node.process;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch (cause) {
      throw new FaultError(
        'FAULT_FAILED',
        `cannot send ${name} to broker ${nodeId} (pid ${pid}): ${(cause as Error).message}`,
        { value: nodeId },
        { cause },
      );
    }
  };
  if (kind === 'kill') {
    signal('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (isSameProcess(node.process) && Date.now() < deadline) await sleep(50);
    process.stdout.write(
      `Killed broker ${nodeId} (pid ${pid}, kill -9). It stays down until \`gamelan-harness fault restart --broker ${nodeId}\` (or \`down\`).\n`,
    );
    return;
  }
  if (kind === 'resume') {
    signal('SIGCONT');
    process.stdout.write(`Resumed broker ${nodeId} (pid ${pid}).\n`);
    return;
  }
  signal('SIGSTOP');
  if (forMs === undefined) {
    process.stdout.write(
      `Paused broker ${nodeId} (pid ${pid}, SIGSTOP). Resume it with \`gamelan-harness fault resume --broker ${nodeId}\`.\n`,
    );
    return;
  }
  await holdFor(`pause of broker ${nodeId} (pid ${pid})`, forMs, async () => signal('SIGCONT'));
}

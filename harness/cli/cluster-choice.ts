import type { StackOptions } from '../stack/start-stack.js';
import { type BrokerArgs, stackOptionsFrom } from './options.js';
import { effectiveProvider } from './provider-choice.js';
import { isRunning, readState, stateFilePath, type UpState } from './state.js';

// Which cluster a command that needs a broker (up, run, load, contract) plays on, decided once: the cluster the
// user named (--bootstrap-servers, else GAMELAN_KAFKA_BOOTSTRAP_SERVERS / KAFKA_BOOTSTRAP_SERVERS) is the
// cluster tested; else the harness of `up` in this folder when one runs (and --kafka is auto); else a broker the
// command starts. A named cluster with a provider that starts its own broker is refused: one would be ignored.

export interface ClusterChoice {
  /** What to start the stack with (provider resolved: `external` for a named cluster or `up`'s). */
  readonly options: StackOptions;
  /** The `up` harness used, if any. */
  readonly up: UpState | undefined;
  /** The command's first stderr line: which cluster it is on. */
  readonly line: string;
}

/**
 * The cluster for a command: a named one, else `up`'s (`running`, when alive and --kafka is auto and `useUp`),
 * else one the command starts.
 */
export function chooseCluster(
  argv: BrokerArgs,
  running: UpState | undefined,
  env: NodeJS.ProcessEnv = process.env,
  raw?: readonly string[],
): ClusterChoice {
  const { kind, named } = effectiveProvider(argv, env, raw);
  if (named) {
    return {
      options: stackOptionsFrom({ ...argv, kafka: 'external', bootstrapServers: named.servers }),
      up: undefined,
      line: `Cluster: ${named.servers.join(',')} (named by ${named.source}; nothing is started)`,
    };
  }
  if (kind === 'auto' && running) {
    return {
      options: stackOptionsFrom({
        ...argv,
        kafka: 'external',
        security: 'plaintext',
        bootstrapServers: running.bootstrapServers,
        commandConfig: argv.commandConfig ?? running.security?.commandConfig,
      }),
      up: running,
      line: `Using the harness from \`up\` (pid ${running.pid}) at ${running.bootstrapServers.join(',')}`,
    };
  }
  const line =
    kind === 'external'
      ? `Cluster: the one --config names (kafka.bootstrap.servers), --kafka external; nothing is started`
      : `Cluster: a new ${kind === 'auto' ? '' : `${kind} `}broker this command starts (--kafka ${kind}), stopped when it ends`;
  return { options: stackOptionsFrom({ ...argv, kafka: kind }), up: undefined, line };
}

/** `--state-file` for the commands that use the harness of `up` when one runs in this folder. */
export const UP_STATE_FILE_OPTION = {
  type: 'string',
  describe: 'State file written by `up` (its broker is used when alive and no cluster is named)',
} as const;

/**
 * Choose the cluster (reading `up`'s state file when `useUp`) and say which as the command's first stderr line.
 */
export function announceCluster(
  argv: BrokerArgs & { readonly stateFile?: string | undefined },
  { useUp }: { readonly useUp: boolean },
): ClusterChoice {
  const state = useUp ? readState(stateFilePath(argv.stateFile)) : undefined;
  const choice = chooseCluster(argv, state && isRunning(state) ? state : undefined);
  process.stderr.write(`${choice.line}\n`);
  return choice;
}

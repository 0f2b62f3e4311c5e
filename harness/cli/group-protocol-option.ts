import type { Argv } from 'yargs';
import { chooseClient } from '../clients/client-choice.js';
import {
  assertClientSpeaks,
  chooseGroupProtocol,
  GROUP_PROTOCOL_ENV,
  GROUP_PROTOCOLS,
  type GroupProtocol,
} from '../clients/group-protocol-choice.js';
import type { ClientArgs } from './client-option.js';

// `--group-protocol classic|consumer` of the commands that start the fake engine and executors (run, load).
// As with `--client`, the choice becomes the process's GAMELAN_KAFKA_GROUP_PROTOCOL, which every workspace, engine and
// executor reads where none is given and which child executors inherit. `consumer` with the kafkajs client is
// refused before anything starts (ConfigError, exit 2, naming the fix).

export interface GroupProtocolArgs {
  groupProtocol?: GroupProtocol | undefined;
}

/** Needs `--client` (withClientOption) on the same command: the protocol is checked against the client chosen. */
export function withGroupProtocolOption<T extends ClientArgs>(yargs: Argv<T>): Argv<T & GroupProtocolArgs> {
  return yargs
    .option('group-protocol', {
      choices: GROUP_PROTOCOLS,
      describe: `The consumer group protocol of the fake engine and executors (default ${GROUP_PROTOCOL_ENV} or classic; consumer is Kafka 4's KIP-848 and needs --client platformatic)`,
    })
    .check((argv) => {
      applyGroupProtocolChoice((argv as GroupProtocolArgs).groupProtocol, (argv as ClientArgs).client);
      return true;
    }) as Argv<T & GroupProtocolArgs>;
}

/** Check the chosen protocol is spoken by the chosen client and make it the process's default; returns it. */
export function applyGroupProtocolChoice(
  explicit: GroupProtocol | undefined,
  client: ClientArgs['client'],
  env: NodeJS.ProcessEnv = process.env,
): GroupProtocol {
  const input = explicit !== undefined ? '--group-protocol' : GROUP_PROTOCOL_ENV;
  const protocol = chooseGroupProtocol(explicit, { env, input });
  assertClientSpeaks(chooseClient(client, env), protocol, input);
  env[GROUP_PROTOCOL_ENV] = protocol;
  return protocol;
}

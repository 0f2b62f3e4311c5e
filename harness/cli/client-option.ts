import type { Argv } from 'yargs';
import { CLIENT_ENV, CLIENT_KINDS, chooseClient, type ClientKind } from '../clients/client-choice.js';

// `--client kafkajs|platformatic` of the commands that make Kafka clients (run, load, contract, and the tools that
// talk to a running cluster through connection.ts: tail, dlq, lag, topics, produce, reset-offsets, conformance). The choice is the
// process's GAMELAN_KAFKA_CLIENT from then on, which createClient reads where no kind is given and which the
// executors the run starts in child processes inherit. Asking for platformatic on a Node older than it needs is
// refused before anything starts (ClientUnavailableError, exit 2, naming the Node it needs).

export interface ClientArgs {
  client?: ClientKind | undefined;
}

export function withClientOption<T>(yargs: Argv<T>): Argv<T & ClientArgs> {
  return yargs
    .option('client', {
      choices: CLIENT_KINDS,
      describe: `The Kafka client library of the harness's own clients (default ${CLIENT_ENV} or kafkajs; platformatic needs Node 22.22+ or 24.6+)`,
    })
    .check((argv) => {
      applyClientChoice((argv as ClientArgs).client);
      return true;
    }) as Argv<T & ClientArgs>;
}

/** Check the chosen client runs on this Node and make it the process's default; returns it. */
export function applyClientChoice(explicit: ClientKind | undefined, env: NodeJS.ProcessEnv = process.env): ClientKind {
  const kind = chooseClient(explicit, env);
  env[CLIENT_ENV] = kind;
  return kind;
}

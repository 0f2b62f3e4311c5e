import { ConfigError } from '../errors.js';
import { GROUP_PROTOCOLS, type ClientKind, type GroupProtocol } from './client-api.js';
import { PLATFORMATIC_NODE } from './client-choice.js';

// Which consumer group protocol the fake engine's and executors' consumers join with. One parser for every way of
// choosing it (`--group-protocol`, GAMELAN_KAFKA_GROUP_PROTOCOL, the `groupProtocol` option), as client-choice.ts
// does for the client library, and one check that the chosen client speaks it.

export { GROUP_PROTOCOLS, type GroupProtocol };

/** Where nothing is chosen: every client speaks it, and every Kafka the harness runs. */
export const DEFAULT_GROUP_PROTOCOL: GroupProtocol = 'classic';

export const GROUP_PROTOCOL_ENV = 'GAMELAN_KAFKA_GROUP_PROTOCOL';

export function isGroupProtocol(value: unknown): value is GroupProtocol {
  return typeof value === 'string' && (GROUP_PROTOCOLS as readonly string[]).includes(value);
}

/** `--group-protocol`, GAMELAN_KAFKA_GROUP_PROTOCOL, `groupProtocol`: a protocol, or a ConfigError naming the input, the value and what is allowed. */
export function parseGroupProtocol(value: unknown, input: string): GroupProtocol {
  if (isGroupProtocol(value)) return value;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${input} "${String(value)}" is not a consumer group protocol; allowed: ${GROUP_PROTOCOLS.join(', ')}.`,
    { key: input, value },
  );
}

/** The protocol chosen: an explicit choice (named `input`), else GAMELAN_KAFKA_GROUP_PROTOCOL, else classic. */
export function chooseGroupProtocol(
  explicit: unknown,
  { env = process.env, input = 'groupProtocol' }: { env?: NodeJS.ProcessEnv; input?: string } = {},
): GroupProtocol {
  if (explicit !== undefined) return parseGroupProtocol(explicit, input);
  const fromEnv = env[GROUP_PROTOCOL_ENV];
  return fromEnv !== undefined && fromEnv !== ''
    ? parseGroupProtocol(fromEnv, GROUP_PROTOCOL_ENV)
    : DEFAULT_GROUP_PROTOCOL;
}

/** Throws ConfigError (exit 2) when `client` cannot join a group with `protocol`: kafkajs has no KIP-848. */
export function assertClientSpeaks(client: ClientKind, protocol: GroupProtocol, input = '--group-protocol'): void {
  if (protocol === 'consumer' && client === 'kafkajs') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${input} consumer: the kafkajs client speaks only the classic group protocol (kafkajs has no KIP-848). ` +
        `Use --client platformatic (GAMELAN_KAFKA_CLIENT=platformatic; Node ${PLATFORMATIC_NODE}), or --group-protocol classic.`,
      { key: input, value: protocol },
    );
  }
}

import { ClientUnavailableError, ConfigError } from '../errors.js';
import { CLIENT_KINDS, type ClientKind } from './client-api.js';

// Which Kafka client library the harness's own clients run on. One parser for every way of choosing it
// (`--client`, GAMELAN_KAFKA_CLIENT, the `client` option of the library and the vitest kit), so the same input gets
// the same answer and the same error everywhere.

export { CLIENT_KINDS, type ClientKind };

/** Where nothing is chosen. kafkajs runs on every Node the harness supports. */
export const DEFAULT_CLIENT: ClientKind = 'kafkajs';

export const CLIENT_ENV = 'GAMELAN_KAFKA_CLIENT';

/** The pinned version of the optional peer dependency the `platformatic` adapter is written and tested against. */
export const PLATFORMATIC_VERSION = '2.12.1';

/** @platformatic/kafka 2.12.1's engines: `>= 22.22.0 || >= 24.6.0` (its README: 22.22+ on 22, 24.6+ on 24). */
export const PLATFORMATIC_NODE = '22.22+ or 24.6+';

export function isClientKind(value: unknown): value is ClientKind {
  return typeof value === 'string' && (CLIENT_KINDS as readonly string[]).includes(value);
}

/** `--client`, GAMELAN_KAFKA_CLIENT, `client`: a kind, or a ConfigError naming the input, the value and what is allowed. */
export function parseClientKind(value: unknown, input: string): ClientKind {
  if (isClientKind(value)) return value;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${input} "${String(value)}" is not a Kafka client the harness has; allowed: ${CLIENT_KINDS.join(', ')}.`,
    {
      key: input,
      value,
    },
  );
}

/** The client chosen: an explicit choice, else GAMELAN_KAFKA_CLIENT, else the default. Checked for this Node. */
export function chooseClient(
  explicit: unknown,
  env: NodeJS.ProcessEnv = process.env,
  node = process.versions.node,
): ClientKind {
  const kind =
    explicit !== undefined
      ? parseClientKind(explicit, '--client')
      : env[CLIENT_ENV] !== undefined && env[CLIENT_ENV] !== ''
        ? parseClientKind(env[CLIENT_ENV], CLIENT_ENV)
        : DEFAULT_CLIENT;
  assertClientRuns(kind, node);
  return kind;
}

/** Why @platformatic/kafka cannot run on this Node version, or undefined when it can. */
export function platformaticNodeProblem(node = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = node.split('.').map(Number);
  const runs = major === 23 || major >= 25 || (major === 22 && minor >= 22) || (major === 24 && minor >= 6);
  return runs
    ? undefined
    : `@platformatic/kafka ${PLATFORMATIC_VERSION} needs Node ${PLATFORMATIC_NODE}; this is Node ${node}`;
}

/**
 * How network faults reach a client library's clients. `per-client`: each client takes a socket factory, so a
 * fault can hit one client's lane (NetworkFaults.socketFactory). `advertised`: the library has no public socket
 * hook (@platformatic/kafka 2.12.1), so its clients bootstrap from the proxies the brokers advertise and share that
 * one lane: faults on every client or on a broker reach them, a fault on one client's lane cannot.
 */
export type FaultLanes = 'per-client' | 'advertised';

export function faultLanesOf(kind: ClientKind): FaultLanes {
  return kind === 'kafkajs' ? 'per-client' : 'advertised';
}

/** Throws ClientUnavailableError (exit 2) when `kind` cannot run on this Node. */
export function assertClientRuns(kind: ClientKind, node = process.versions.node): void {
  if (kind !== 'platformatic') return;
  const problem = platformaticNodeProblem(node);
  if (problem) {
    throw new ClientUnavailableError(
      `--client platformatic: ${problem}. Run it on Node ${PLATFORMATIC_NODE} (scripts/node-binary.sh 24 fetches one), or use --client kafkajs.`,
      {
        client: kind,
        needsNode: PLATFORMATIC_NODE,
        node,
      },
    );
  }
}

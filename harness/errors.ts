// One error tree for the whole harness: every error has a stable `code` users can match on,
// a `retriable` flag (as in kafkajs) and an optional `cause`. Messages name the file, key or
// field, the value that was wrong, what is allowed, and how to fix it.

export const ERROR_CODES = [
  // configuration (gamelan.kafka.* files and CLI options)
  'CONFIG_FILE_NOT_FOUND',
  'CONFIG_PARSE_FAILED',
  'CONFIG_UNKNOWN_KEY',
  'CONFIG_INVALID_VALUE',
  'CONFIG_VARIABLE_UNRESOLVED',
  'CONFIG_CLIENT_UNAVAILABLE',
  // brokers and their providers
  'PROVIDER_UNAVAILABLE',
  'JAVA_NOT_FOUND',
  'KAFKA_JARS_UNAVAILABLE',
  'BROKER_START_FAILED',
  'BROKER_NOT_READY',
  'BROKER_STATE_NOT_FOUND',
  'BROKER_STATE_INVALID',
  'BROKER_UNREACHABLE',
  'BROKER_AUTH_FAILED',
  // topics
  'TOPIC_PROVISIONING_FAILED',
  'REPLICATION_FACTOR_TOO_HIGH',
  'OFFSETS_RESET_REFUSED',
  'TOPIC_READ_FAILED',
  // protocol
  'MESSAGE_DECODE_FAILED',
  'MESSAGE_INVALID',
  'MESSAGE_KEY_INVALID',
  // waiting on conditions
  'TIMEOUT',
  // executor contract runs
  'CONTRACT_CASE_INVALID',
  'CONTRACT_EXECUTOR_START_FAILED',
  'CONTRACT_EXECUTOR_NOT_JOINED',
  // fault injection (network proxy, broker faults)
  'FAULT_PROXY_UNAVAILABLE',
  'FAULT_PROXY_INVALID',
  'FAULT_TARGET_UNKNOWN',
  'FAULT_FAILED',
  // load generation (gamelan-harness load, bench:throughput)
  'LOAD_OBSERVER_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An error and its causes, outermost first (kafkajs, Docker and the harness wrap errors in errors). Stops after
 * `maxDepth` links, so a cause that points back at itself cannot loop.
 */
export function* causeChain(error: unknown, maxDepth = 10): Generator<Record<string, unknown>> {
  let e = error;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < maxDepth; depth++) {
    yield e as Record<string, unknown>;
    const next = (e as { cause?: unknown }).cause;
    if (next === e) return;
    e = next;
  }
}

export interface HarnessErrorOptions {
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: HarnessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** A configuration file, key or option is wrong; nothing was started. */
export class ConfigError extends HarnessError {
  constructor(
    code: Extract<ErrorCode, `CONFIG_${string}`>,
    message: string,
    readonly details: { readonly file?: string; readonly key?: string; readonly value?: unknown } = {},
    options?: HarnessErrorOptions,
  ) {
    super(code, message, options);
  }
}

/**
 * The Kafka client asked for (`--client`, GAMELAN_KAFKA_CLIENT, the `client` option) cannot run here: this Node is
 * older than it needs, or its package is not installed. Nothing was started (a ConfigError: the CLI exits 2).
 */
export class ClientUnavailableError extends ConfigError {
  constructor(
    message: string,
    readonly requirement: {
      readonly client: string;
      readonly needsNode?: string;
      readonly node?: string;
      readonly needsPackage?: string;
    },
    options?: HarnessErrorOptions,
  ) {
    super('CONFIG_CLIENT_UNAVAILABLE', message, { key: 'client', value: requirement.client }, options);
  }
}

/** A broker could not be found, started, or reached. */
export class BrokerError extends HarnessError {
  constructor(
    code: Extract<
      ErrorCode,
      | 'PROVIDER_UNAVAILABLE'
      | 'JAVA_NOT_FOUND'
      | 'KAFKA_JARS_UNAVAILABLE'
      | 'BROKER_START_FAILED'
      | 'BROKER_NOT_READY'
      | 'BROKER_STATE_NOT_FOUND'
      | 'BROKER_STATE_INVALID'
      | 'BROKER_UNREACHABLE'
      | 'BROKER_AUTH_FAILED'
    >,
    message: string,
    readonly details: { readonly logFile?: string; readonly logTail?: string } = {},
    options?: HarnessErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** Topics could not be created, do not fit the configuration, or could not be read. */
export class TopicError extends HarnessError {
  constructor(
    code: Extract<
      ErrorCode,
      'TOPIC_PROVISIONING_FAILED' | 'REPLICATION_FACTOR_TOO_HIGH' | 'OFFSETS_RESET_REFUSED' | 'TOPIC_READ_FAILED'
    >,
    message: string,
    options?: HarnessErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** A record does not follow the Gamelan protocol (bytes, schema or key). */
export class ProtocolError extends HarnessError {
  constructor(
    code: Extract<ErrorCode, 'MESSAGE_DECODE_FAILED' | 'MESSAGE_INVALID' | 'MESSAGE_KEY_INVALID'>,
    message: string,
    readonly details: { readonly path?: string; readonly value?: unknown } = {},
    options?: HarnessErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** A condition waited on did not become true in time. */
export class TimeoutError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('TIMEOUT', message, { retriable: true, ...options });
  }
}

/** The load generator's own bookkeeping failed (its observer of the events topic could not start or answer). */
export class LoadError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('LOAD_OBSERVER_FAILED', message, options);
  }
}

/** An executor contract run could not be carried out (a bad case, an executor that never started or joined). */
export class ContractError extends HarnessError {
  constructor(
    code: Extract<ErrorCode, `CONTRACT_${string}`>,
    message: string,
    readonly details: { readonly value?: unknown; readonly outputTail?: string } = {},
    options?: HarnessErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** A fault could not be injected: no proxy to drive, a bad option, an unknown broker or client, or the proxy refused. */
export class FaultError extends HarnessError {
  constructor(
    code: Extract<ErrorCode, `FAULT_${string}`>,
    message: string,
    readonly details: { readonly value?: unknown } = {},
    options?: HarnessErrorOptions,
  ) {
    super(code, message, options);
  }
}

import { ConfigError } from '../errors.js';

// FlowRecorder.start is often called from plain JavaScript or a vitest file that is not type-checked:
// a missing option must fail at once with its name, not record nothing and let a matcher time out.

/** Throw a ConfigError naming the first required option that is missing or of the wrong kind. */
export function checkRecorderOptions(options: unknown): void {
  const given = (options ?? {}) as Record<string, unknown>;
  const kafka = given.kafka as { consumer?: unknown; admin?: unknown } | undefined;
  if (typeof kafka?.consumer !== 'function' || typeof kafka.admin !== 'function') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `FlowRecorder.start: option "kafka" is ${describe(given.kafka)}; it must be a Kafka client (KafkaClient), e.g. FlowRecorder.start({ kafka: stack.broker.kafka('recorder'), config }), a workspace's kafka, or kafkajsClient({ brokers }).`,
      { key: 'kafka', value: given.kafka },
    );
  }
  const config = given.config as { tasks?: { topic?: unknown } } | undefined;
  if (typeof config?.tasks?.topic !== 'string') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `FlowRecorder.start: option "config" is ${describe(given.config)}; it must be the Gamelan configuration naming the topics, e.g. readConfig().gamelan, DEFAULT_CONFIG or gamelanKafka().config.`,
      { key: 'config', value: given.config },
    );
  }
  if (given.decode !== undefined && typeof given.decode !== 'function') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `FlowRecorder.start: option "decode" is ${describe(given.decode)}; leave it out for the protocol's decoder, or pass a function (role, record) => result.`,
      {
        key: 'decode',
        value: given.decode,
      },
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return `a ${Array.isArray(value) ? 'array' : typeof value}`;
}

import { ConfigError } from '../errors.js';
import { describeInput, type InputName } from './bootstrap.js';

// A Kafka version names a folder in the per-user cache and a Maven artifact: anything but major.minor.patch
// (`../../../tmp/x`, `4.1`, a URL) would reach the file system or Maven, so it is refused before anything starts.

export const KAFKA_VERSION_ALLOWED = 'an Apache Kafka release as major.minor.patch, e.g. 4.1.1';
const VERSION = /^\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Whether `value` is written as a Kafka release version (major.minor.patch, digits only). */
export function isKafkaVersion(value: unknown): value is string {
  return typeof value === 'string' && VERSION.test(value);
}

/** Parse a Kafka version; throws a ConfigError (exit 2) naming `input`, the value and what is allowed. */
export function parseKafkaVersion(value: unknown, input: InputName = '--kafka-version'): string {
  const text = Array.isArray(value) ? value.at(-1) : value;
  if (isKafkaVersion(text)) return text;
  const { key, file, label } = describeInput(input);
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${label} = ${JSON.stringify(text ?? '')} is not allowed: use ${KAFKA_VERSION_ALLOWED}.`,
    {
      key,
      value,
      ...(file !== undefined && { file }),
    },
  );
}

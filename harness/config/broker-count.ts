import { ConfigError } from '../errors.js';
import { describeInput, type InputName } from './bootstrap.js';

// How many KRaft nodes a start may ask for (--brokers, BrokerStartOptions.brokers): one limit for
// every command and provider. Five nodes already take ~2.5 GiB and most of two cores; a replicated
// cluster needs three.

export const MIN_BROKERS = 1;
export const MAX_BROKERS = 5;
export const DEFAULT_BROKERS = 1;

/** Whether `value` is a broker count we start. Plain code, no zod, so the CLI's options load fast (value-schemas.ts has the zod schema). */
export function isBrokerCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_BROKERS && value <= MAX_BROKERS;
}

/** What a broker count may be, for error messages and help texts. */
export const BROKER_COUNT_ALLOWED = `an integer from ${MIN_BROKERS} to ${MAX_BROKERS} (3 for a replicated cluster)`;

/** Parse a broker count (a number, or its text); throws a ConfigError naming `input`, the value and what is allowed. */
export function parseBrokerCount(value: unknown, input: InputName = 'brokers'): number {
  const { key, file, label } = describeInput(input);
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (isBrokerCount(number)) return number;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${label} = ${Array.isArray(value) ? value.join(' ') : String(value)} is not allowed: use ${BROKER_COUNT_ALLOWED}.`,
    {
      key,
      value,
      ...(file !== undefined && { file }),
    },
  );
}

/** Whether `value` is a client port a broker the harness starts may pin (--port): unprivileged, 1024–65535. */
export function isClientPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1024 && value <= 65_535;
}

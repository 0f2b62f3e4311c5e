import { PROVIDER_KINDS, type ProviderKind } from './types.js';
import { ConfigError } from '../errors.js';

/** The environment variable that picks the broker provider where no --kafka is given (CLI and vitest global setup). */
export const PROVIDER_ENV_VAR = 'GAMELAN_KAFKA_PROVIDER';

/**
 * The provider GAMELAN_KAFKA_PROVIDER names, or undefined when it is unset or blank. Any other value
 * is an error naming the variable, the value and the choices: never a silent fallback to auto.
 */
export function providerFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProviderKind | undefined {
  const value = env[PROVIDER_ENV_VAR];
  if (value === undefined || value.trim() === '') return undefined;
  const kind = value.trim().toLowerCase();
  if ((PROVIDER_KINDS as readonly string[]).includes(kind)) return kind as ProviderKind;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${PROVIDER_ENV_VAR}=${JSON.stringify(value)} is not a broker provider: use one of ${PROVIDER_KINDS.join(', ')}, or unset it.`,
    { key: PROVIDER_ENV_VAR, value },
  );
}

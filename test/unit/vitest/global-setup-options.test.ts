import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.js';
import { createGlobalSetup, parseGlobalSetupOptions } from '../../../harness/vitest/global-setup.js';

// The global setup's options are checked where they are written (vitest.config.ts), before any broker starts.

function failure(options: unknown): ConfigError {
  try {
    parseGlobalSetupOptions(options);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

describe('createGlobalSetup options', () => {
  it('takes every documented option', () => {
    const options = {
      kafka: 'native',
      configFile: 'application.properties',
      dialect: 'upstream',
      profile: 'prod',
      security: { mode: 'sasl-ssl', username: 'u' },
      faultProxy: true,
      brokers: 3,
    } as const;
    expect(parseGlobalSetupOptions(options)).toEqual(options);
    expect(parseGlobalSetupOptions({ security: 'tls' })).toEqual({ security: 'tls' });
    expect(parseGlobalSetupOptions(undefined)).toEqual({});
  });

  it.each([
    [{ kafka: 'docker' }, 'kafka', '"docker"'],
    [{ dialect: 'java' }, 'dialect', '"java"'],
    [{ security: 'ssl' }, 'security', '"ssl"'],
    [{ brokers: 9 }, 'brokers', '9'],
    [{ configFile: '' }, 'configFile', '""'],
  ])('names the option and its value: %j', (options, key, shown) => {
    const error = failure(options);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_INVALID_VALUE');
    expect(error.message).toContain(`option ${key} = ${shown}`);
  });

  it('refuses an unknown option by name (a typo is not ignored)', () => {
    expect(failure({ fautProxy: true }).message).toContain('fautProxy');
  });

  it.each(['compose', 'external'] as const)(
    'refuses faultProxy on %s brokers, naming native and container',
    async (kafka) => {
      const start = createGlobalSetup({ faultProxy: true, kafka });
      await expect(start({ provide: () => undefined } as never)).rejects.toThrow(
        /needs brokers the harness starts.*provider is \w+.*use native or container/,
      );
    },
  );

  it('fails when createGlobalSetup is called, not when vitest starts the broker', () => {
    expect(() => createGlobalSetup({ kafka: 'docker' as never })).toThrow(ConfigError);
  });
});

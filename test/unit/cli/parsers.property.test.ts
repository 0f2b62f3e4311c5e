import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBootstrapServers } from '../../../harness/config/bootstrap.js';
import { isClientPort, parseBrokerCount } from '../../../harness/config/broker-count.js';
import { parseKafkaVersion } from '../../../harness/config/kafka-version.js';
import { parseDuration } from '../../../harness/load/slo.js';
import { checkNumbers, MAX_TIMER_MS } from '../../../harness/cli/validate.js';
import { ConfigError } from '../../../harness/errors.js';

// The CLI's parsers on any input (issue #22): each answers with a value of its kind or its typed error, never
// another exception, and never accepts garbage. Seeded, so a failure reproduces; fast-check prints the seed.
const runs = { numRuns: 2_000, seed: 22 };

/** Text users could type: anything, plus the characters these parsers care about, much more often. */
const typed = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789.:,[]-/ abcxyzPLAINTEXT%\t\n'.split('')), maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '::1',
    '[::1]:9092',
    '../../x',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '-0',
    '4.1.1',
    '3',
    '99999999999',
  ),
);

/** Either the parser's value, or the ConfigError it must throw; any other throw fails the property. */
function outcome<T>(parse: () => T): { ok: true; value: T } | { ok: false; error: ConfigError } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (!(error instanceof ConfigError))
      throw new Error(`threw ${String(error)} instead of a ConfigError`, { cause: error });
    expect(error.code).toBe('CONFIG_INVALID_VALUE');
    return { ok: false, error };
  }
}

describe('bootstrap servers', () => {
  const entry = /^[^\s:/[\]@,]+:(\d{1,5})$/;

  it('any text: host:port entries with a real port (and a round trip to themselves), or a ConfigError naming the input', () => {
    fc.assert(
      fc.property(fc.oneof(typed, fc.array(typed, { maxLength: 3 })), (value) => {
        const result = outcome(() => parseBootstrapServers(value, '--bootstrap-servers'));
        if (!result.ok) {
          expect(result.error.message).toMatch(/^--bootstrap-servers = /);
          return;
        }
        expect(result.value.length).toBeGreaterThan(0);
        for (const server of result.value) {
          const port = Number(entry.exec(server)?.[1]);
          expect(port >= 1 && port <= 65_535, server).toBe(true);
        }
        expect(parseBootstrapServers(result.value.join(','), 'again')).toEqual(result.value);
      }),
      runs,
    );
  });

  it('well-formed lists are read as written (prefix dropped, leading zeros of the port too)', () => {
    const host = fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/);
    const server = fc.record({
      host,
      port: fc.integer({ min: 1, max: 65_535 }),
      prefix: fc.constantFrom('', 'PLAINTEXT://', 'SASL_SSL://'),
    });
    fc.assert(
      fc.property(fc.array(server, { minLength: 1, maxLength: 4 }), (servers) => {
        const text = servers.map((s) => `${s.prefix}${s.host}:${s.port}`).join(',');
        expect(parseBootstrapServers(text, 'x')).toEqual(servers.map((s) => `${s.host}:${s.port}`));
      }),
      runs,
    );
  });

  it('an IPv6 literal is never accepted', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.integer({ min: 1, max: 65_535 }), (address, port) => {
        expect(outcome(() => parseBootstrapServers(`[${address}]:${port}`, 'x')).ok).toBe(false);
      }),
      runs,
    );
  });
});

describe('durations', () => {
  it('any text: a whole number of ms from 1 to 2^31-1, or a ConfigError naming the option', () => {
    fc.assert(
      fc.property(typed, (text) => {
        const result = outcome(() => parseDuration(text, '--for'));
        if (!result.ok) {
          expect(result.error.message).toMatch(/^--for ".*" is not allowed: use a positive duration up to 596h/s);
          return;
        }
        expect(Number.isInteger(result.value) && result.value >= 1 && result.value <= MAX_TIMER_MS).toBe(true);
      }),
      runs,
    );
  });

  it('n<unit> is n times the unit, when it fits a timer', () => {
    const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])),
        (n, unit) => {
          const ms = n * units[unit];
          const result = outcome(() => parseDuration(`${n}${unit}`));
          expect(result.ok).toBe(ms <= MAX_TIMER_MS);
          if (result.ok) expect(result.value).toBe(ms);
        },
      ),
      runs,
    );
  });
});

describe('broker counts, versions and ports', () => {
  it('a broker count is accepted exactly when it is a whole number from 1 to 5', () => {
    fc.assert(
      fc.property(fc.oneof(typed, fc.double(), fc.integer({ min: -10, max: 10 })), (value) => {
        const result = outcome(() => parseBrokerCount(value, '--brokers'));
        const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
        expect(result.ok).toBe(typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5);
      }),
      runs,
    );
  });

  it('a Kafka version is accepted exactly when it is digits.digits.digits (never a path)', () => {
    fc.assert(
      fc.property(fc.oneof(typed, fc.stringMatching(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/)), (value) => {
        const result = outcome(() => parseKafkaVersion(value, '--kafka-version'));
        expect(result.ok).toBe(/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value));
        if (result.ok) expect(result.value).not.toMatch(/[/\\]|\.\./);
        else expect(result.error.message).toContain('--kafka-version = ');
      }),
      runs,
    );
  });

  it('a pinned port is accepted exactly when it is a whole number from 1024 to 65535', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.double(), fc.constant(Number.NaN)),
        (value) => {
          expect(isClientPort(value)).toBe(Number.isInteger(value) && value >= 1024 && value <= 65_535);
        },
      ),
      runs,
    );
  });

  it('a millisecond option is accepted exactly when it is a whole number from its minimum to 2^31-1', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double(), fc.integer(), fc.constantFrom(MAX_TIMER_MS, MAX_TIMER_MS + 1, 0, 1)),
        (value) => {
          let accepted = true;
          try {
            checkNumbers({ 'join-timeout': value }, { 'join-timeout': { min: 1, unit: 'ms' } }, []);
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            expect((error as Error).message).toMatch(
              /^--join-timeout ".*" is not allowed: use an integer from 1 to 2147483647 \(ms\)\.$/,
            );
            accepted = false;
          }
          expect(accepted).toBe(Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS);
        },
      ),
      runs,
    );
  });
});

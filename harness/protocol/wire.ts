import { z } from 'zod';

// Wire primitives shared by every message: what a Quarkus engine (Jackson with jackson-datatype-jsr310
// and Quarkus' defaults) writes and reads. Each is a zod codec: `decode` reads the wire form (tolerantly),
// `encode` writes the canonical form. JSON Schemas are generated from the *input* (wire) side.

/** Java identifiers in the protocol (runId, nodeId, tenantId, …): 1–255 characters. */
export const MAX_IDENTIFIER_LENGTH = 255;
/** Execution tokens: 10–512 characters. */
export const MIN_TOKEN_LENGTH = 10;
export const MAX_TOKEN_LENGTH = 512;
/** Java `int` (attempt numbers). */
export const JAVA_INT_MAX = 2_147_483_647;

export const identifier = (description: string) => z.string().min(1).max(MAX_IDENTIFIER_LENGTH).meta({ description });

export const token = z
  .string()
  .min(MIN_TOKEN_LENGTH)
  .max(MAX_TOKEN_LENGTH)
  .meta({ description: `Execution token, ${MIN_TOKEN_LENGTH}–${MAX_TOKEN_LENGTH} characters.` });

/** `Map<String, Object>`: any JSON object. */
export const jsonObject = (description: string) => z.record(z.string(), z.unknown()).meta({ description });

// ---------------------------------------------------------------------------------------------
// Instant

// ISO-8601 date-time with a zone offset (RFC 3339 plus the `+HHMM` and `+HH` offsets Java accepts),
// seconds optional as in Java's ISO_OFFSET_DATE_TIME, fraction up to nanoseconds.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)$/;

/**
 * Normalise an ISO-8601 instant with any offset to what Java's `Instant.toString()` writes:
 * UTC, `Z`, and the fraction in groups of three digits (none, millis, micros or nanos), nanosecond
 * precision kept. Returns undefined when the text is not an ISO-8601 date-time with an offset.
 */
export function normalizeInstant(text: string): string | undefined {
  if (isCanonicalInstant(text)) return text; // what the harness and Java write: nothing to change
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zulu, sign, oh = '00', om = '00', os = '00'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  if (Number(oh) > 18 || Number(om) > 59 || Number(os) > 59) return undefined;
  const offsetSeconds = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetSeconds * 1000;
  return formatInstant(Math.floor(utcMs / 1000), Number(frac.padEnd(9, '0')));
}

// Instant.toString() itself: UTC `Z`, and a fraction of 3, 6 or 9 digits that does not end in a zero group.
const CANONICAL_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):([0-5]\d):([0-5]\d)(?:\.(\d{3}|\d{6}|\d{9}))?Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The last text found canonical: the engine writes the same instant into several messages in a row. */
let lastCanonical: string | undefined; // not '': an empty text is no instant

/** True when the text is already what formatInstant writes (a valid date, Java's fraction groups). */
function isCanonicalInstant(text: string): boolean {
  if (text === lastCanonical) return true;
  const canonical = checkCanonicalInstant(text);
  if (canonical) lastCanonical = text;
  return canonical;
}

function checkCanonicalInstant(text: string): boolean {
  const m = CANONICAL_INSTANT.exec(text);
  if (!m) return false;
  const fraction = m[7];
  if (fraction !== undefined && fraction.endsWith('000')) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || Number(m[4]) > 23 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** Java's `Instant.toString()` for epoch seconds and nanoseconds (years 0000–9999). */
export function formatInstant(epochSeconds: number, nanos: number): string {
  const base = new Date(epochSeconds * 1000).toISOString().slice(0, 19); // yyyy-mm-ddThh:mm:ss
  if (nanos === 0) return `${base}Z`;
  const digits = String(nanos).padStart(9, '0');
  const fraction = digits.endsWith('000000')
    ? digits.slice(0, 3)
    : digits.endsWith('000')
      ? digits.slice(0, 6)
      : digits;
  return `${base}.${fraction}Z`;
}

/** The current time as Java would write `Instant.now()` (millisecond precision here). */
export function instantNow(now: Date = new Date()): string {
  return instantAt(now.getTime());
}

let lastInstantMs = Number.NaN;
let lastInstant = '';

/** Epoch milliseconds as Java writes the Instant (the last one is kept: many messages share a millisecond). */
export function instantAt(epochMs: number): string {
  if (epochMs !== lastInstantMs) {
    lastInstant = formatInstant(Math.floor(epochMs / 1000), (epochMs % 1000) * 1_000_000);
    lastInstantMs = epochMs;
  }
  return lastInstant;
}

/** Decimal epoch seconds (`1718000000.123456789`, what Jackson writes with WRITE_DATES_AS_TIMESTAMPS). */
function instantFromEpochSeconds(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const seconds = Math.floor(value);
  const nanos = Math.round((value - seconds) * 1e9);
  if (seconds < -62_167_219_200 || seconds > 253_402_300_799) return undefined; // 0000-01-01 … 9999-12-31
  return nanos >= 1e9 ? formatInstant(seconds + 1, 0) : formatInstant(seconds, nanos);
}

export const INSTANT_REASON = 'expected an ISO-8601 instant with an offset, e.g. 2024-05-01T10:15:30Z';

/**
 * `java.time.Instant`. Reads ISO-8601 with any offset (normalised to UTC `Z`) and, for Jackson's
 * WRITE_DATES_AS_TIMESTAMPS, decimal epoch seconds; writes what Quarkus writes: `Instant.toString()`.
 */
export const instant = (description: string) =>
  z
    .codec(z.union([z.string().meta({ format: 'date-time' }), z.number()], { error: INSTANT_REASON }), z.string(), {
      decode: (wire, ctx) => {
        const value = typeof wire === 'number' ? instantFromEpochSeconds(wire) : normalizeInstant(wire);
        if (value === undefined) {
          ctx.issues.push({ code: 'custom', message: INSTANT_REASON, input: wire });
          return z.NEVER;
        }
        return value;
      },
      encode: (value, ctx) => {
        const normalized = normalizeInstant(value);
        if (normalized === undefined) {
          ctx.issues.push({ code: 'custom', message: INSTANT_REASON, input: value });
          return z.NEVER;
        }
        return normalized;
      },
    })
    .meta({
      description: `${description} ISO-8601 instant: written in UTC with "Z" (Instant.toString()); any offset, and decimal epoch seconds, are read.`,
    });

// ---------------------------------------------------------------------------------------------
// Duration

// Java's Duration.parse grammar: [-]P[nD][T[nH][nM][n[.n]S]], each number signed, fraction ≤ 9 digits.
const ISO_DURATION =
  /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{1,9}))?S)?)?$/i;

/** Seconds (decimal, nanosecond precision) of an ISO-8601 duration as Java's `Duration.parse` reads it. */
export function parseIsoDuration(text: string): number | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m) return undefined;
  const [, sign, d, h, mi, s, frac] = m;
  if (d === undefined && h === undefined && mi === undefined && s === undefined) return undefined;
  if (text.toUpperCase().endsWith('T')) return undefined;
  const secondsPart = Number(s ?? 0);
  const fraction = frac ? Number(`0.${frac}`) * (s?.startsWith('-') ? -1 : 1) : 0;
  const total = Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + secondsPart + fraction;
  return roundNanos(sign === '-' ? -total : total);
}

/** Seconds as Java writes `Duration.toString()` (`PT1.5S`), for logs and the reader's tests. */
export function formatIsoDuration(seconds: number): string {
  if (seconds === 0) return 'PT0S';
  const negative = seconds < 0;
  let rest = Math.abs(seconds);
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest = roundNanos(rest - minutes * 60);
  const sign = negative ? '-' : '';
  return `PT${hours ? `${sign}${hours}H` : ''}${minutes ? `${sign}${minutes}M` : ''}${rest ? `${sign}${rest}S` : ''}`;
}

const roundNanos = (seconds: number) => Math.round(seconds * 1e9) / 1e9;

export const DURATION_REASON = 'expected seconds as a number (e.g. 1.5) or an ISO-8601 duration (e.g. PT1.5S)';

/**
 * `java.time.Duration`, as seconds in TypeScript. Written as Jackson writes it by default
 * (WRITE_DURATIONS_AS_TIMESTAMPS: decimal seconds, `1.5`); read from decimal seconds or ISO-8601 (`PT1.5S`,
 * what Jackson writes with that feature off). Negative durations are rejected (they measure elapsed time).
 */
export const duration = (description: string) =>
  z
    .codec(z.union([z.number().meta({ minimum: 0 }), z.string()], { error: DURATION_REASON }), z.number().min(0), {
      decode: (wire, ctx) => {
        const seconds =
          typeof wire === 'number' ? (Number.isFinite(wire) ? roundNanos(wire) : undefined) : parseIsoDuration(wire);
        if (seconds === undefined) {
          ctx.issues.push({ code: 'custom', message: DURATION_REASON, input: wire });
          return z.NEVER;
        }
        return seconds;
      },
      encode: (seconds) => roundNanos(seconds),
    })
    .meta({
      description: `${description} Seconds: written as a decimal number (Jackson's default for Duration, e.g. 1.5); an ISO-8601 duration (PT1.5S) is read too.`,
    });

// ---------------------------------------------------------------------------------------------
// Optional fields: Jackson writes absent values as null (JsonInclude.ALWAYS) and reads null or missing.

/**
 * An optional field: reads null or missing as undefined. `encodeMessage` writes absent optional fields as
 * `null`, as Jackson does by default (JsonInclude.ALWAYS).
 */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.codec(schema.nullish(), z.custom<z.output<T>>().optional(), {
    decode: (value) => value ?? undefined,
    encode: (value) => value ?? null,
  });

import { ConfigError } from '../errors.js';
import type { LoadReport } from './drive.js';

// Service-level objectives for `load --slo`: `p99<200ms`, `p50<=20ms`, `max<2s`, `throughput>=1000/s`.
// Parsed before anything starts (a malformed one is a ConfigError, exit 2) and checked on the report.

export const SLO_METRICS = ['p50', 'p90', 'p99', 'p999', 'max', 'mean', 'throughput'] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

export interface Slo {
  /** As typed. */
  readonly text: string;
  readonly metric: SloMetric;
  readonly op: '<' | '<=' | '>' | '>=';
  /** Milliseconds for latencies, runs per second for throughput. */
  readonly value: number;
}

export interface SloVerdict {
  readonly slo: string;
  readonly actual: number;
  readonly met: boolean;
}

const FORM = /^\s*(p50|p90|p99|p999|max|mean|throughput)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(ms|s|\/s)?\s*$/;
const ALLOWED =
  'a latency bound like p99<200ms, p50<=20ms, max<2s (metrics p50, p90, p99, p999, max, mean; units ms or s) or a throughput floor like throughput>=1000/s';

export function parseSlo(text: string, source = '--slo'): Slo {
  const match = FORM.exec(text);
  if (!match)
    throw new ConfigError('CONFIG_INVALID_VALUE', `${source} ${JSON.stringify(text)} is not allowed: use ${ALLOWED}.`, {
      key: source,
      value: text,
    });
  const [, metric, op, number, unit] = match as unknown as [string, SloMetric, Slo['op'], string, string | undefined];
  if (metric === 'throughput' ? unit !== undefined && unit !== '/s' : unit === '/s') {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${source} ${JSON.stringify(text)} is not allowed: ${metric} takes ${metric === 'throughput' ? '/s' : 'ms or s'}; use ${ALLOWED}.`,
      { key: source, value: text },
    );
  }
  return { text: text.trim(), metric, op, value: unit === 's' ? Number(number) * 1000 : Number(number) };
}

export function checkSlos(slos: readonly Slo[], report: LoadReport): SloVerdict[] {
  return slos.map((slo) => {
    const actual =
      slo.metric === 'throughput'
        ? report.runsPerSecond
        : {
            p50: report.latency.p50Ms,
            p90: report.latency.p90Ms,
            p99: report.latency.p99Ms,
            p999: report.latency.p999Ms,
            max: report.latency.maxMs,
            mean: report.latency.meanMs,
          }[slo.metric];
    const met =
      slo.op === '<'
        ? actual < slo.value
        : slo.op === '<='
          ? actual <= slo.value
          : slo.op === '>'
            ? actual > slo.value
            : actual >= slo.value;
    return { slo: slo.text, actual, met };
  });
}

/** `30s`, `2m`, `1500ms`, `90` (seconds) → milliseconds; anything else is a ConfigError naming `source`. */
export function parseDuration(text: string, source = '--duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = match
    ? Number(match[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h']
    : Number.NaN;
  // At most the longest Node timer (2^31-1 ms, 596 h): a longer one would fire at once.
  if (!match || !(ms > 0) || Math.round(ms) > 2_147_483_647) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${source} ${JSON.stringify(text)} is not allowed: use a positive duration up to 596h (2147483647 ms) like 30s, 2m, 1500ms or 90 (seconds).`,
      { key: source, value: text },
    );
  }
  return Math.round(ms);
}

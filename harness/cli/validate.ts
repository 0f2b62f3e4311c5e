import { createServer } from 'node:net';
import { ConfigError } from '../errors.js';

// Checks of command-line input that run before anything starts. They throw plain Errors inside a
// yargs `.check` (reported as usage errors, exit 2) or ConfigErrors from a handler (also exit 2).

/**
 * The longest delay a Node timer takes (2^31-1 ms, about 24.8 days): a longer one fires after 1 ms with a warning,
 * so every millisecond option is held to it, and a fault or timeout never silently becomes none.
 */
export const MAX_TIMER_MS = 2_147_483_647;

export interface NumberRule {
  readonly min: number;
  readonly max?: number;
  /** Whole numbers only (the default). */
  readonly integer?: boolean;
  /** For the message, e.g. "ms". */
  readonly unit?: string;
}

/** What the user typed for `--name` (yargs has already turned "abc" into NaN). */
function typed(flag: string, argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${flag}`) return argv[i + 1];
    if (arg.startsWith(`--${flag}=`)) return arg.slice(flag.length + 3);
  }
  return undefined;
}

function allowed(rule: NumberRule): string {
  const kind = rule.integer === false ? 'a number' : 'an integer';
  const unit = rule.unit ? ` (${rule.unit})` : '';
  return rule.max === undefined ? `${kind} ≥ ${rule.min}${unit}` : `${kind} from ${rule.min} to ${rule.max}${unit}`;
}

/**
 * Every numeric option given is a finite number within its bounds; throws naming the option, what
 * was typed and what is allowed. Options left out (undefined) are not checked.
 */
export function checkNumbers(
  argv: Record<string, unknown>,
  rules: Readonly<Record<string, NumberRule>>,
  raw: readonly string[] = process.argv.slice(2),
): true {
  for (const [flag, rule] of Object.entries(rules)) {
    const value = argv[flag];
    if (value === undefined) continue;
    if (Array.isArray(value)) throw new Error(`--${flag} is given ${value.length} times: give it once.`);
    const number = value as number;
    // Unbounded rules still end somewhere: at the longest timer for milliseconds, else where integers stay exact.
    const max = rule.max ?? (rule.unit === 'ms' ? MAX_TIMER_MS : Number.MAX_SAFE_INTEGER);
    const ok =
      typeof number === 'number' &&
      Number.isFinite(number) &&
      number >= rule.min &&
      number <= max &&
      (rule.integer === false || Number.isInteger(number));
    if (!ok) {
      const shown = typed(flag, raw) ?? String(value);
      const tooBig = typeof number === 'number' && number > max;
      throw new Error(
        `--${flag} ${shown === '' ? '(no value)' : JSON.stringify(shown)} is not allowed: use ${allowed(rule.max === undefined && (tooBig || rule.unit === 'ms') ? { ...rule, max } : rule)}.`,
      );
    }
  }
  return true;
}

const EXAMPLE_PATHS: Readonly<Record<string, string>> = {
  json: 'reports/results.json',
  junit: 'reports/junit.xml',
  report: 'reports/report.html',
  record: 'reports/recording',
  cases: 'my-cases.json',
};

/** Report options that take a path: given without one (`--json --junit`), yargs hands over ''. */
export function checkPaths(argv: Record<string, unknown>, flags: readonly string[]): true {
  for (const flag of flags) {
    const value = argv[flag];
    if (value === undefined) continue;
    if (Array.isArray(value)) throw new Error(`--${flag} is given ${value.length} times: give it once.`);
    if (typeof value !== 'string' || value.trim() === '')
      throw new Error(`--${flag} needs a path, e.g. --${flag} ${EXAMPLE_PATHS[flag] ?? `reports/${flag}`}.`);
  }
  return true;
}

/** Whether something already listens on 127.0.0.1:port. */
function inUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * The pinned client ports (--port and the next ones, one per broker) are free, checked before a
 * JVM starts: a taken port is bad input, not a broker that fails to bind 10 s later.
 */
export async function assertPortsFree(port: number | undefined, brokers: number): Promise<void> {
  if (port === undefined) return;
  const ports = Array.from({ length: brokers }, (_, i) => port + i);
  const taken: number[] = [];
  for (const p of ports) if (await inUse(p)) taken.push(p);
  if (taken.length === 0) return;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `--port ${port}: 127.0.0.1:${taken.join(', 127.0.0.1:')} ${taken.length > 1 ? 'are' : 'is'} already in use` +
      `${brokers > 1 ? ` (${brokers} brokers use ports ${ports[0]}–${ports.at(-1)})` : ''}. ` +
      'Stop what listens there, pick another --port, or leave --port out for free ports.',
    { key: 'port', value: port },
  );
}

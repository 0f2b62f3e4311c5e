import { ConfigError } from '../errors.js';
import { normalizeInstant } from '../protocol/wire.js';

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `--since`: an ISO-8601 instant with an offset (`2024-05-01T10:00:00Z`) or a span back from now (`15m`, `2h`,
 * `1d`, `30s`, `500ms`). Epoch milliseconds, or CONFIG_INVALID_VALUE saying what is allowed.
 */
export function parseSince(text: string, now: number = Date.now()): number {
  const relative = RELATIVE.exec(text.trim());
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
  const instant = normalizeInstant(text.trim());
  if (instant !== undefined) return Date.parse(instant);
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `--since ${JSON.stringify(text)} is not allowed: use an ISO-8601 instant with an offset (2024-05-01T10:00:00Z) or a span back from now (30s, 15m, 2h, 1d).`,
    { key: 'since', value: text },
  );
}

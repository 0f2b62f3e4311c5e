import type { TopicRole } from '../../vocabulary.js';
import type { RawRecord } from '../serdes.js';
import { specDialect } from './spec.js';
import type { DialectName, ReadDialect } from '../../vocabulary.js';
import type { DeadLetterInput, Deviation, Dialect, DialectReadResult, MessageRole } from './types.js';
import { upstreamDialect } from './upstream/index.js';

/** The dialects, by name. */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { spec: specDialect, upstream: upstreamDialect };

/** Detection order for `auto`: the README first (the documented contract), then the Java code. */
const AUTO_ORDER: readonly Dialect[] = [specDialect, upstreamDialect];

export function dialectNamed(name: DialectName): Dialect {
  return DIALECTS[name];
}

/** Which dialect a record conforms to: the first with no deviation, else `neither` with each dialect's deviations. */
export function detectDialect(
  role: TopicRole,
  record: DeadLetterInput,
): { dialect: DialectName | 'neither'; deviations: Readonly<Record<DialectName, readonly Deviation[]>> } {
  const deviations = Object.fromEntries(AUTO_ORDER.map((d) => [d.name, checkIn(d, role, record)])) as Record<
    DialectName,
    readonly Deviation[]
  >;
  const match = AUTO_ORDER.find((d) => deviations[d.name].length === 0);
  return { dialect: match?.name ?? 'neither', deviations };
}

/** Every deviation of a record of any role from one dialect (dead letters: why the dialect cannot read it). */
export function checkIn(dialect: Dialect, role: TopicRole, record: DeadLetterInput): readonly Deviation[] {
  if (role !== 'dlq') return dialect.check(role, record);
  const read = dialect.readDeadLetter(record);
  return read.ok ? read.record.deviations : (read.reasons[dialect.name] ?? []);
}

/**
 * Read a record in one dialect, or `auto`: the first dialect it conforms to (spec, then upstream); when it
 * conforms to none, the first that can still read it (its deviations listed on the record); else a failure with
 * `dialect: 'neither'` and each dialect's reasons. Never throws.
 */
export function readRecordIn<R extends TopicRole>(
  role: R,
  record: RawRecord & { readonly timestamp?: string | number | undefined },
  dialect: ReadDialect,
): DialectReadResult<R> {
  const readOne = (d: Dialect) =>
    (role === 'dlq' ? d.readDeadLetter(record) : d.read(role as MessageRole, record)) as DialectReadResult<R>;
  if (dialect !== 'auto') return readOne(DIALECTS[dialect]);
  const { dialect: detected } = detectDialect(role, record);
  if (detected !== 'neither') return readOne(DIALECTS[detected]);
  const reasons: Partial<Record<DialectName, readonly Deviation[]>> = {};
  for (const d of AUTO_ORDER) {
    const result = readOne(d);
    if (result.ok) return result;
    reasons[d.name] = result.reasons[d.name] ?? [];
  }
  return { ok: false, dialect: 'neither', reasons };
}

/** One line per dialect tried: why a record could not be read. */
export function describeReadFailure(result: Extract<DialectReadResult, { ok: false }>): string {
  return Object.entries(result.reasons)
    .map(([name, deviations]) => `${name}: ${(deviations ?? []).map((d) => d.message).join('; ') || 'unreadable'}`)
    .join(' | ');
}

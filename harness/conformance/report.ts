import type { TopicRole } from '../vocabulary.js';
import { detectDialect } from '../protocol/dialects/read.js';
import type { DialectName } from '../vocabulary.js';
import type { DeadLetterInput, DeviationRule } from '../protocol/dialects/types.js';

// A conformance report: per topic, how many records were read, which dialect each is in, and every way the
// records deviate from the chosen dialect — grouped by rule and field, with a count and one example record.

/** One record as read from a topic, for the report. */
export interface ConformanceInput extends DeadLetterInput {
  readonly partition: number;
  readonly offset: string;
}

/** An example record for a deviation: where it is and a glimpse of it. */
export interface ExampleRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** The value as UTF-8 text (or base64 when not UTF-8), cut at 300 characters. */
  readonly value: string | null;
}

export interface DeviationSummary {
  readonly rule: DeviationRule;
  readonly field: string;
  /** Records with this deviation. */
  readonly count: number;
  /** The first record's message. */
  readonly message: string;
  readonly example: ExampleRecord;
}

export interface TopicConformance {
  readonly role: TopicRole;
  readonly topic: string;
  /** False when the topic does not exist on the cluster (nothing read, nothing wrong). */
  readonly exists: boolean;
  readonly records: number;
  /** Records by the dialect they conform to. */
  readonly dialects: Readonly<Record<DialectName | 'neither', number>>;
  /** Records that conform to the chosen dialect. */
  readonly conforming: number;
  readonly deviations: readonly DeviationSummary[];
}

/** A topic under the other dialect's name, and how many records it holds. */
export interface OtherDialectTopic {
  readonly role: TopicRole;
  readonly topic: string;
  readonly records: number;
}

/**
 * What the check concluded: every record read conforms, some do not, or no record was read at all
 * ("nothing checked": not a pass unless the cluster is meant to be empty, --allow-empty).
 */
export const CONFORMANCE_VERDICTS = ['conforms', 'does-not-conform', 'nothing-checked', 'empty-allowed'] as const;
export type ConformanceVerdict = (typeof CONFORMANCE_VERDICTS)[number];

export interface ConformanceReport {
  readonly dialect: DialectName;
  readonly bootstrapServers: readonly string[];
  /** ISO instant: only records at or after it were read; undefined = from the beginning. */
  readonly since: string | undefined;
  readonly topics: readonly TopicConformance[];
  readonly records: number;
  readonly nonConforming: number;
  /** Every record read conforms to the chosen dialect, and something was read (or --allow-empty). */
  readonly conforms: boolean;
  readonly verdict: ConformanceVerdict;
  /**
   * When nothing was read: the other dialect's topics that exist, with their record counts, and the command
   * that would check them.
   */
  readonly elsewhere?:
    | { readonly dialect: DialectName; readonly topics: readonly OtherDialectTopic[]; readonly command: string }
    | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function excerpt(value: DeadLetterInput['value']): string | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = strictUtf8.decode(value);
    } catch {
      text = `base64:${value.toString('base64')}`;
    }
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const keyText = (key: DeadLetterInput['key']) =>
  key === null || key === undefined ? null : typeof key === 'string' ? key : key.toString('utf8');

/** Collects one topic's records into its TopicConformance. */
export class TopicConformanceBuilder {
  readonly #role: TopicRole;
  readonly #topic: string;
  readonly #dialect: DialectName;
  #records = 0;
  #conforming = 0;
  readonly #dialects: Record<DialectName | 'neither', number> = { spec: 0, upstream: 0, neither: 0 };
  readonly #deviations = new Map<
    string,
    { rule: DeviationRule; field: string; count: number; message: string; example: ExampleRecord }
  >();

  constructor(role: TopicRole, topic: string, dialect: DialectName) {
    this.#role = role;
    this.#topic = topic;
    this.#dialect = dialect;
  }

  add(record: ConformanceInput): void {
    this.#records += 1;
    const detected = detectDialect(this.#role, record);
    this.#dialects[detected.dialect] += 1;
    const deviations = detected.deviations[this.#dialect];
    if (deviations.length === 0) {
      this.#conforming += 1;
      return;
    }
    const seen = new Set<string>();
    for (const deviation of deviations) {
      const id = `${deviation.rule} ${deviation.field}`;
      if (seen.has(id)) continue; // count records, not repeats within one record
      seen.add(id);
      const summary = this.#deviations.get(id);
      if (summary) summary.count += 1;
      else {
        this.#deviations.set(id, {
          rule: deviation.rule,
          field: deviation.field,
          count: 1,
          message: deviation.message,
          example: {
            partition: record.partition,
            offset: record.offset,
            key: keyText(record.key),
            value: excerpt(record.value),
          },
        });
      }
    }
  }

  build(exists = true): TopicConformance {
    return {
      role: this.#role,
      topic: this.#topic,
      exists,
      records: this.#records,
      dialects: { ...this.#dialects },
      conforming: this.#conforming,
      deviations: [...this.#deviations.values()].sort(
        (a, b) => b.count - a.count || a.rule.localeCompare(b.rule) || a.field.localeCompare(b.field),
      ),
    };
  }
}

export interface ConformanceVerdictOptions {
  /** Reading nothing is a pass. */
  readonly allowEmpty?: boolean;
  /** The other dialect's existing topics, looked up when nothing was read. */
  readonly elsewhere?: { readonly dialect: DialectName; readonly topics: readonly OtherDialectTopic[] };
}

export function conformanceReport(
  dialect: DialectName,
  bootstrapServers: readonly string[],
  since: string | undefined,
  topics: readonly TopicConformance[],
  options: ConformanceVerdictOptions = {},
): ConformanceReport {
  const records = topics.reduce((n, t) => n + t.records, 0);
  const nonConforming = topics.reduce((n, t) => n + (t.records - t.conforming), 0);
  const verdict: ConformanceVerdict =
    records === 0
      ? options.allowEmpty
        ? 'empty-allowed'
        : 'nothing-checked'
      : nonConforming === 0
        ? 'conforms'
        : 'does-not-conform';
  const report = {
    dialect,
    bootstrapServers,
    since,
    topics,
    records,
    nonConforming,
    conforms: verdict === 'conforms' || verdict === 'empty-allowed',
    verdict,
  };
  if (records !== 0 || !options.elsewhere) return report;
  const command = [
    'gamelan-harness conformance',
    `--dialect ${options.elsewhere.dialect}`,
    `--bootstrap-servers ${bootstrapServers.join(',')}`,
    ...(since ? [`--since ${since}`] : []),
  ].join(' ');
  return { ...report, elsewhere: { ...options.elsewhere, command } };
}

/**
 * The history checker's findings as the report shows them. The checker (harness/checker) is its own module;
 * this reads its output tolerantly, so the report renders what it is given and never fails on its shape.
 */
export interface ReportAnomaly {
  readonly kind: string;
  readonly runId?: string;
  readonly taskId?: string;
  /** One sentence: what was seen. */
  readonly detail: string;
  /** The records involved, as `topic-partition@offset`. */
  readonly records: readonly string[];
}

export interface AnomalySection {
  /** All anomalies counted (may exceed what is listed). */
  readonly total: number;
  readonly counts: readonly { readonly kind: string; readonly title: string; readonly count: number }[];
  readonly listed: readonly ReportAnomaly[];
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

function recordRef(r: unknown): string | undefined {
  if (typeof r === 'string') return r;
  if (isObject(r) && r.topic !== undefined)
    return `${String(r.topic)}-${String(r.partition ?? '?')}@${String(r.offset ?? '?')}`;
  return undefined;
}

function anomalyOf(item: unknown, kindHint?: string): ReportAnomaly {
  if (!isObject(item)) return { kind: kindHint ?? 'anomaly', detail: String(item), records: [] };
  const kind = text(item.kind) ?? text(item.type) ?? text(item.name) ?? kindHint ?? 'anomaly';
  const detail =
    text(item.detail) ?? text(item.message) ?? text(item.description) ?? text(item.reason) ?? JSON.stringify(item);
  const records = (Array.isArray(item.records) ? item.records : [])
    .map(recordRef)
    .filter((r): r is string => r !== undefined);
  const runId = text(item.runId);
  const taskId = text(item.taskId);
  return { kind, detail, records, ...(runId ? { runId } : {}), ...(taskId ? { taskId } : {}) };
}

/**
 * Reads: an array of anomalies; `{ anomalies: [...] }`; or a checker report `{ counts: {kind: n}, examples: {kind: [...]}, titles? }`.
 * Anything else (null, a number…) gives undefined: the page then says no findings were given.
 */
export function normalizeAnomalies(
  input: unknown,
  maxListed = 300,
  titles: Readonly<Record<string, string>> = {},
): AnomalySection | undefined {
  let all: ReportAnomaly[];
  let counted: Map<string, number> | undefined;
  if (Array.isArray(input)) all = input.map((a) => anomalyOf(a));
  else if (isObject(input) && Array.isArray(input.anomalies)) all = input.anomalies.map((a) => anomalyOf(a));
  else if (isObject(input) && isObject(input.examples)) {
    all = Object.entries(input.examples).flatMap(([kind, list]) =>
      Array.isArray(list) ? list.map((a) => anomalyOf(a, kind)) : [],
    );
    if (isObject(input.counts))
      counted = new Map(
        Object.entries(input.counts)
          .filter(([, n]) => typeof n === 'number')
          .map(([k, n]) => [k, n as number]),
      );
    if (isObject(input.titles))
      titles = {
        ...(Object.fromEntries(Object.entries(input.titles).filter(([, t]) => typeof t === 'string')) as Record<
          string,
          string
        >),
        ...titles,
      };
  } else return undefined;
  const counts = counted ?? all.reduce((m, a) => m.set(a.kind, (m.get(a.kind) ?? 0) + 1), new Map<string, number>());
  for (const a of all) if (!counts.has(a.kind)) counts.set(a.kind, 1);
  return {
    total: [...counts.values()].reduce((s, n) => s + n, 0),
    counts: [...counts].map(([kind, count]) => ({ kind, title: titles[kind] ?? kind, count })),
    listed: all.slice(0, maxListed),
  };
}

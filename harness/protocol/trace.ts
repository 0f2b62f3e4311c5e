import { randomBytes } from 'node:crypto';

// W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header):
//   00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>
// A task gets a traceparent; its result and the events it causes carry children of it (same trace-id,
// new parent-id), so one trace follows a task from engine to executor and back.

export interface Traceparent {
  readonly version: string;
  readonly traceId: string;
  readonly parentId: string;
  readonly flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Parse a traceparent header; undefined when it is malformed (as a W3C receiver would ignore it). */
export function parseTraceparent(header: string | undefined): Traceparent | undefined {
  if (header === undefined) return undefined;
  const m = TRACEPARENT.exec(header.trim());
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { version, traceId, parentId, flags };
}

export function formatTraceparent(t: Traceparent): string {
  return `00-${t.traceId}-${t.parentId}-${t.flags}`;
}

// Random bytes come from a pooled buffer: one randomBytes call per few hundred ids (every record the
// harness writes carries a traceparent; a call per id was a measurable share of its CPU).
let pool = Buffer.alloc(0);
let poolAt = 0;

const nonZeroHex = (bytes: number): string => {
  for (;;) {
    if (poolAt + bytes > pool.length) {
      pool = randomBytes(4_096);
      poolAt = 0;
    }
    const hex = pool.toString('hex', poolAt, poolAt + bytes);
    poolAt += bytes;
    if (!/^0+$/.test(hex)) return hex;
  }
};

/** A new root traceparent (new trace-id), sampled by default. */
export function createTraceparent(options: { sampled?: boolean } = {}): string {
  return formatTraceparent({
    version: '00',
    traceId: nonZeroHex(16),
    parentId: nonZeroHex(8),
    flags: options.sampled === false ? '00' : '01',
  });
}

/** A child of `parent`: same trace-id and flags, new parent-id. A missing or malformed parent starts a new trace. */
export function childTraceparent(parent: string | undefined): string {
  const parsed = parseTraceparent(parent);
  if (!parsed) return createTraceparent();
  return formatTraceparent({ ...parsed, parentId: nonZeroHex(8) });
}

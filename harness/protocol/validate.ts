import { z } from 'zod';
import { ProtocolError } from '../errors.js';
import { DECLINE, throughPlan } from './fast-path.js';
import { type MessageType, type MessageTypes, messageDefinition } from './registry.js';

// Validation of message objects (already parsed JSON) against the one definition of each message:
// upstream Java field names renamed first, then zod decode; the first issue becomes a ProtocolError
// carrying the exact JSON path (`$.attempt`) and a reason that says what is allowed.

export type ProtocolFailureCode = 'MESSAGE_DECODE_FAILED' | 'MESSAGE_INVALID' | 'MESSAGE_KEY_INVALID';

/** Why a record or object is not a valid message: typed, never thrown by the `decode*` functions. */
export interface MessageFailure {
  readonly code: ProtocolFailureCode;
  readonly messageType: MessageType;
  /** JSON path of the offending field (`$.attempt`, `$.error.code`), `$` for the whole value; undefined when the bytes are not JSON. */
  readonly path: string | undefined;
  /** What is wrong and what is allowed, e.g. `must be at least 10 characters (got 5)`. */
  readonly reason: string;
  /** The same, as the harness error to throw or to dead-letter. */
  readonly error: ProtocolError;
}

export type DecodeResult<T> =
  { readonly ok: true; readonly message: T } | { readonly ok: false; readonly failure: MessageFailure };

export function messageFailure(
  code: ProtocolFailureCode,
  messageType: MessageType,
  path: string | undefined,
  reason: string,
  value?: unknown,
  cause?: unknown,
): MessageFailure {
  const where = path === undefined ? '' : ` at ${path}`;
  const error = new ProtocolError(
    code,
    `${messageType}${where}: ${reason}`,
    { ...(path === undefined ? {} : { path }), ...(value === undefined ? {} : { value }) },
    cause === undefined ? undefined : { cause },
  );
  return { code, messageType, path, reason, error };
}

/** `['error', 'code']` → `$.error.code`; `['items', 0]` → `$.items[0]`; odd keys → `$["a b"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    const name = String(segment);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${out}.${name}` : `${out}[${JSON.stringify(name)}]`;
  }, '$');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  boolean: 'a boolean',
};

/** A stable, human reason for a zod issue (golden invalid fixtures assert these strings). */
export function reasonFor(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(input)}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) === 1
          ? 'must not be empty'
          : `must be at least ${String(issue.minimum)} characters (got ${String((input as string).length)})`;
      }
      return `must be ≥ ${String(issue.minimum)} (got ${String(input)})`;
    case 'too_big':
      if (issue.origin === 'string')
        return `must be at most ${String(issue.maximum)} characters (got ${String((input as string).length)})`;
      return `must be ≤ ${String(issue.maximum)} (got ${String(input)})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')} (got ${describeValue(input)})`;
    default:
      return issue.message;
  }
}

/** Rename upstream Java field names to the spec's; canonical names win when both are present. */
export function applyAliases(
  aliases: Readonly<Record<string, string>>,
  value: Record<string, unknown>,
): { renamed: Record<string, unknown>; wireNameOf: Map<string, string> } {
  const renamed: Record<string, unknown> = {};
  const wireNameOf = new Map<string, string>();
  for (const [name, fieldValue] of Object.entries(value)) {
    const canonical = aliases[name];
    if (canonical === undefined) renamed[name] = fieldValue;
    else if (!Object.hasOwn(value, canonical)) {
      renamed[canonical] = fieldValue;
      wireNameOf.set(canonical, name);
    }
  }
  return { renamed, wireNameOf };
}

/** Validate a parsed JSON value as a message: the typed message, or the first problem with its path. */
export function decodeMessage<T extends MessageType>(type: T, value: unknown): DecodeResult<MessageTypes[T]> {
  const definition = messageDefinition(type);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      failure: messageFailure('MESSAGE_INVALID', type, '$', `expected an object, got ${describeValue(value)}`, value),
    };
  }
  const { renamed, wireNameOf } = applyAliases(definition.aliases, value as Record<string, unknown>);
  const fast = throughPlan(definition.schema, renamed, 'decode');
  if (fast !== DECLINE) return { ok: true, message: fast as MessageTypes[T] };
  const result = z.safeDecode(definition.schema, renamed, { reportInput: true });
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0]!;
  const [first, ...rest] = issue.path;
  const wirePath = typeof first === 'string' && wireNameOf.has(first) ? [wireNameOf.get(first)!, ...rest] : issue.path;
  return {
    ok: false,
    failure: messageFailure(
      'MESSAGE_INVALID',
      type,
      formatPath(wirePath),
      reasonFor(issue),
      (issue as { input?: unknown }).input,
      result.error,
    ),
  };
}

/** Validate and return the typed message, or throw the ProtocolError (code MESSAGE_INVALID). */
export function parseMessage<T extends MessageType>(type: T, value: unknown): MessageTypes[T] {
  const result = decodeMessage(type, value);
  if (!result.ok) throw result.failure.error;
  return result.message;
}

/**
 * The wire JSON object for a message, with the spec's field names, instants as UTC `Z` strings, durations
 * as decimal seconds and absent optional fields as null (Jackson's defaults). Throws ProtocolError when the
 * message is not valid (e.g. a taskId that is not runId:nodeId:attempt).
 */
export function encodeMessage<T extends MessageType>(type: T, message: MessageTypes[T]): Record<string, unknown> {
  const definition = messageDefinition(type);
  const fast = throughPlan(definition.schema, message, 'encode');
  const result =
    fast !== DECLINE
      ? { success: true as const, data: fast }
      : z.safeEncode(definition.schema, message, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw messageFailure(
      'MESSAGE_INVALID',
      type,
      formatPath(issue.path),
      reasonFor(issue),
      (issue as { input?: unknown }).input,
      result.error,
    ).error;
  }
  const written = withNulls(definition.schema, result.data) as Record<string, unknown>;
  for (const field of definition.keptFields ?? []) if (written[field] === null) delete written[field];
  return written;
}

/** Object schema behind codecs, optional/nullable wrappers and refinements, if any. */
function objectSchemaOf(schema: z.core.$ZodType): z.ZodObject | undefined {
  const def = schema._zod.def as { type: string; in?: z.core.$ZodType; innerType?: z.core.$ZodType };
  if (schema instanceof z.ZodObject) return schema;
  if (def.type === 'pipe' && def.in) return objectSchemaOf(def.in);
  if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) return objectSchemaOf(def.innerType);
  return undefined;
}

interface NullPlan {
  readonly fields: readonly (readonly [string, z.core.$ZodType])[];
  readonly keepsOthers: boolean;
}
const nullPlans = new WeakMap<z.core.$ZodType, NullPlan | null>();

/** The object behind a schema, as withNulls needs it (computed once per schema: zod's shape is a getter). */
function nullPlanOf(schema: z.core.$ZodType): NullPlan | null {
  let plan = nullPlans.get(schema);
  if (plan === undefined) {
    const object = objectSchemaOf(schema);
    const catchall = object && (object._zod.def as { catchall?: z.core.$ZodType }).catchall;
    plan = object
      ? {
          fields: Object.entries(object.shape as Record<string, z.core.$ZodType>),
          keepsOthers: catchall !== undefined && !(catchall instanceof z.ZodNever),
        }
      : null;
    nullPlans.set(schema, plan);
  }
  return plan;
}

/** Every field of the object schema present: absent optional fields become null, nested objects too. */
export function withNulls(schema: z.core.$ZodType, value: unknown): unknown {
  const plan = nullPlanOf(schema);
  if (!plan || value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, field] of plan.fields) {
    out[name] = source[name] === undefined ? null : withNulls(field, source[name]);
  }
  // An object with a catchall (a Java Map such as the upstream error) keeps its other entries.
  if (plan.keepsOthers) {
    for (const [name, entry] of Object.entries(source)) if (!(name in out) && entry !== undefined) out[name] = entry;
  }
  return out;
}
